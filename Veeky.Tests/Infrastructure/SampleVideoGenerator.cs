using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Veeky.Processes;

namespace Veeky.Tests.Infrastructure;

/// <summary>
/// Makes videos whose truth is known: scenes from ffmpeg's lavfi sources (flat colours, test patterns) with words
/// drawn on them, and sentences spoken by festival's slt voice at chosen times. Shared by the pipeline tests and
/// <c>scripts/bench-ingest</c>.
/// </summary>
public sealed class SampleVideoGenerator(ProcessRunner? runner = null)
{
    public const string Font = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

    /// <summary>Tools the generator needs.</summary>
    public static readonly string[] Tools = ["ffmpeg", "ffprobe", "text2wave"];

    private readonly ProcessRunner _runner = runner ?? new ProcessRunner(NullLogger<ProcessRunner>.Instance);

    public async Task GenerateAsync(SampleVideoSpec spec, string outputPath, CancellationToken ct = default)
    {
        var work = Path.Combine(Path.GetTempPath(), $"veeky-sample-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            // Each distinct sentence is spoken once and reused wherever it recurs.
            var spoken = new Dictionary<string, string>();
            var speechFiles = new List<string>();
            foreach (var speech in spec.Speech)
            {
                if (!spoken.TryGetValue(speech.Sentence, out var wav))
                {
                    var text = Path.Combine(work, $"speech{spoken.Count}.txt");
                    wav = Path.Combine(work, $"speech{spoken.Count}.wav");
                    await File.WriteAllTextAsync(text, speech.Sentence, ct);
                    await _runner.RunAsync("text2wave", ["-eval", "(voice_cmu_us_slt_arctic_hts)", text, "-o", wav], TimeSpan.FromMinutes(2), ct);
                    spoken[speech.Sentence] = wav;
                }
                speechFiles.Add(wav);
            }

            var arguments = new List<string> { "-hide_banner", "-nostats", "-loglevel", "error", "-y" };
            foreach (var scene in spec.Scenes)
            {
                arguments.AddRange(["-f", "lavfi", "-i", $"{scene.Source}{(scene.Source.Contains('=') ? ':' : '=')}s={spec.Width}x{spec.Height}:r={spec.FrameRate}:d={Number(scene.Seconds)}"]);
            }
            arguments.AddRange(["-f", "lavfi", "-i", $"anullsrc=r=22050:cl=mono:d={Number(spec.Duration)}"]);
            foreach (var wav in speechFiles)
            {
                arguments.AddRange(["-i", wav]);
            }

            var filter = new StringBuilder();
            for (var i = 0; i < spec.Scenes.Count; i++)
            {
                var scene = spec.Scenes[i];
                filter.Append(scene.Text is null
                    ? $"[{i}:v]null[v{i}];"
                    : $"[{i}:v]drawtext=fontfile={Font}:text={scene.Text}:fontsize={spec.Height / 6}:fontcolor={scene.TextColor}"
                      + (scene.Outlined ? ":borderw=4:bordercolor=black" : "")
                      + $":x=(w-tw)/2:y=(h-th)/2[v{i}];");
            }
            filter.Append(string.Concat(Enumerable.Range(0, spec.Scenes.Count).Select(i => $"[v{i}]")));
            filter.Append($"concat=n={spec.Scenes.Count}:v=1:a=0,format=yuv420p[v];");
            var silence = spec.Scenes.Count;
            for (var k = 0; k < speechFiles.Count; k++)
            {
                var delay = (int)Math.Round(spec.Speech[k].Start * 1000);
                filter.Append($"[{silence + 1 + k}:a]adelay={delay}:all=1,aresample=22050,aformat=channel_layouts=mono[s{k}];");
            }
            filter.Append($"[{silence}:a]");
            filter.Append(string.Concat(Enumerable.Range(0, speechFiles.Count).Select(k => $"[s{k}]")));
            filter.Append($"amix=inputs={1 + speechFiles.Count}:duration=first:normalize=0[a]");

            var partial = $"{outputPath}.{Guid.NewGuid():N}.partial.mp4";
            arguments.AddRange(["-filter_complex", filter.ToString(), "-map", "[v]", "-map", "[a]",
                "-c:v", "libx264", "-preset", spec.Preset, "-g", (spec.FrameRate * 2).ToString(CultureInfo.InvariantCulture),
                "-c:a", "aac", "-b:a", "96k", "-movflags", "+faststart", "-t", Number(spec.Duration), partial]);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outputPath))!);
            await _runner.RunAsync("ffmpeg", arguments, TimeSpan.FromMinutes(30), ct);
            // Moved into place only when whole, so a cached sample is never half-written.
            File.Move(partial, outputPath, overwrite: true);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>
    /// Six seconds of two visibly different scenes (a test pattern, then orange), so two moments, silent H.264 as
    /// browsers play it: the clip the browser tests upload, import and search.
    /// </summary>
    public async Task<string> GenerateTwoSceneClipAsync(string path, CancellationToken ct = default)
    {
        await _runner.RunAsync("ffmpeg",
        [
            "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=15:duration=3",
            "-f", "lavfi", "-i", "color=c=orange:size=320x240:rate=15:duration=3",
            "-filter_complex", "[0:v][1:v]concat=n=2:v=1:a=0[v]", "-map", "[v]",
            "-c:v", "libx264", "-pix_fmt", "yuv420p", "-movflags", "+faststart", path,
        ], TimeSpan.FromMinutes(1), ct);
        return path;
    }

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}

/// <summary>A generated video: scenes back to back and sentences spoken at given times.</summary>
public sealed record SampleVideoSpec(int Width, int Height, int FrameRate, IReadOnlyList<SampleScene> Scenes,
    IReadOnlyList<SampleSpeech> Speech, string Preset = "veryfast")
{
    public double Duration => Scenes.Sum(s => s.Seconds);

    /// <summary>True cut times: where each scene after the first starts.</summary>
    public IReadOnlyList<double> Cuts => Scenes.Take(Scenes.Count - 1)
        .Select((_, i) => Math.Round(Scenes.Take(i + 1).Sum(s => s.Seconds), 3)).ToList();

    public double FrameInterval => 1.0 / FrameRate;
}

/// <summary>One scene: a lavfi source (<c>color=c=navy</c>, <c>testsrc2</c>) and optionally a word drawn in its middle.</summary>
public sealed record SampleScene(double Seconds, string Source, string? Text = null, string TextColor = "white", bool Outlined = false);

/// <summary>A sentence spoken from <paramref name="Start"/> seconds.</summary>
public sealed record SampleSpeech(string Sentence, double Start);
