using Microsoft.EntityFrameworkCore;
using Veeky.Configs;
using Veeky.Indexer.Media;
using Veeky.Indexer.Pipeline;
using Veeky.Indexer.Speech;
using Veeky.Media;
using Veeky.Speech;
using Veeky.Videos;

namespace Veeky.Indexer.Stages;

/// <summary>Recognises the speech of the video into timed words, stored on the video (<see cref="Video.TranscriptJson"/>)
/// for Enrich to assign to segments. Needs only Probe, so it runs beside the video path.</summary>
public sealed class TranscribeStage(
    StageDatabase database, IMediaStore media, AudioExtractor audio, TimeProvider clock, ITranscriber? transcriber = null,
    IConfigStore? configs = null)
    : IPipelineStage
{
    /// <summary>Share of this stage's progress spent extracting the audio; recognition is the rest.</summary>
    private const double ExtractShare = 0.1;

    public VideoStage Stage => VideoStage.Transcribing;
    public IReadOnlyList<VideoStage> DependsOn => [VideoStage.Probing];
    /// <summary>Recognition on the CPU runs at a few times realtime: as heavy as the whole video path.</summary>
    public double Weight => 0.35;

    public async Task<StageResult> RunAsync(StageContext context, CancellationToken ct)
    {
        string storagePath;
        double duration;
        await using (var db = database.Open())
        {
            var video = await db.Videos.AsNoTracking().Where(v => v.Id == context.VideoId)
                .Select(v => new { v.StoragePath, v.HasAudio, v.DurationSeconds }).FirstOrDefaultAsync(ct)
                ?? throw new VideoGoneException(context.VideoId);
            if (!video.HasAudio)
            {
                await SaveAsync(context, TranscriptJson.Serialize([]), ct);
                return StageResult.Skipped("the video has no audio");
            }
            if (transcriber is null)
            {
                await SaveAsync(context, null, ct);
                return StageResult.Skipped("no speech recogniser (install pocketsphinx, set Veeky:Indexer:WhisperNet:ModelPath, or set ConnectionStrings:whisper)");
            }
            storagePath = video.StoragePath;
            duration = video.DurationSeconds ?? 0;
        }

        var wav = Path.Combine(context.WorkFolder, "audio.wav");
        try
        {
            await audio.ExtractAsync(media.GetFullPath(storagePath), wav, duration,
                new ScaledProgress(context.Progress, 0, ExtractShare), ct);

            // Read per job, never cached: an admin's change of the language applies to the next video.
            var language = configs is null ? null : (await configs.GetLlmSettingAsync(LlmPurposes.Transcription, ct))?.Language;
            var words = await transcriber.TranscribeAsync(wav, language, new ScaledProgress(context.Progress, ExtractShare, 1), ct);
            await SaveAsync(context, TranscriptJson.Serialize(words), ct);
            return StageResult.Done();
        }
        finally
        {
            File.Delete(wav);
        }
    }

    private async Task SaveAsync(StageContext context, string? transcriptJson, CancellationToken ct)
    {
        await using var db = database.Open();
        var now = clock.GetUtcNow();
        var updated = await context.SaveAsync(db, () => db.Videos.Where(v => v.Id == context.VideoId).ExecuteUpdateAsync(s => s
            .SetProperty(v => v.TranscriptJson, transcriptJson)
            .SetProperty(v => v.UpdatedAt, now), ct), ct);
        if (updated == 0)
        {
            throw new VideoGoneException(context.VideoId);
        }
    }
}
