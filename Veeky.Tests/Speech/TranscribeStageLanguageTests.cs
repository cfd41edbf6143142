using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Veeky.Configs;
using Veeky.Indexer.Pipeline;
using Veeky.Indexer.Stages;
using Veeky.Speech;
using Veeky.Tests.Infrastructure;
using Veeky.Tests.Pipeline;

namespace Veeky.Tests.Speech;

/// <summary>The Transcribe stage reads the <c>transcription</c> setting's language at each job and hands it to the recogniser.</summary>
public sealed class TranscribeStageLanguageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_job_passes_the_current_setting_language_and_none_once_it_is_cleared()
    {
        Requires.Tools(SampleVideoGenerator.Tools);
        var recogniser = new RecordingTranscriber();
        await using var host = await IndexerHost.CreateAsync(services: s => s.AddSingleton<ITranscriber>(recogniser));
        var videoId = await host.AddVideoAsync(await SampleVideos.ScenesPathAsync());
        await using (var db = host.OpenDb())
        {
            // What the Probe stage would have found.
            await db.Videos.Where(v => v.Id == videoId).ExecuteUpdateAsync(s => s
                .SetProperty(v => v.HasAudio, true).SetProperty(v => v.DurationSeconds, 15.0), Ct);
            await db.LlmSettings.Where(s => s.Purpose == LlmPurposes.Transcription).ExecuteDeleteAsync(Ct);
            db.LlmSettings.Add(new LlmSetting { Purpose = LlmPurposes.Transcription, Model = "whisper-1", Language = "de" });
            await db.SaveChangesAsync(Ct);
        }
        var stage = ActivatorUtilities.CreateInstance<TranscribeStage>(host.Services);
        using var work = new TempFolder("veeky-transcribe-language");

        await stage.RunAsync(new StageContext(videoId, work.Path, new Progress<double>()), Ct);
        await using (var db = host.OpenDb())
        {
            await db.LlmSettings.Where(s => s.Purpose == LlmPurposes.Transcription).ExecuteUpdateAsync(s => s.SetProperty(x => x.Language, (string?)null), Ct);
        }
        await stage.RunAsync(new StageContext(videoId, work.Path, new Progress<double>()), Ct);

        Assert.Equal(["de", null], recogniser.Languages);
    }

    private sealed class RecordingTranscriber : ITranscriber
    {
        public List<string?> Languages { get; } = [];

        public string Name => "recording";

        public Task<IReadOnlyList<TranscriptWord>> TranscribeAsync(string wavPath, IProgress<double>? progress, CancellationToken ct) =>
            TranscribeAsync(wavPath, null, progress, ct);

        public Task<IReadOnlyList<TranscriptWord>> TranscribeAsync(string wavPath, string? language, IProgress<double>? progress, CancellationToken ct)
        {
            Assert.True(File.Exists(wavPath));
            Languages.Add(language);
            return Task.FromResult<IReadOnlyList<TranscriptWord>>([new TranscriptWord("hallo", 0.5, 0.9)]);
        }
    }
}
