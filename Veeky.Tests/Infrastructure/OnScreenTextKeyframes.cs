using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Veeky.Processes;

namespace Veeky.Tests.Infrastructure;

/// <summary>
/// Keyframes whose words are known, for measuring how well on-screen text is read: each slide (dark on light, light on
/// dark, coloured and gradient backgrounds, busy patterns) carries a large bold title and a small line of body text, and
/// is drawn at 360p, 720p and 1080p as a JPEG of the quality keyframes get. Made with ffmpeg lavfi and drawtext, cached
/// in the temp folder by their specification. Shared by <c>OnScreenTextTests</c> and <c>scripts/bench-ocr</c>.
/// </summary>
public static class OnScreenTextKeyframes
{
    public const string TitleFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
    public const string BodyFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

    /// <summary>Tools the generator needs.</summary>
    public static readonly string[] Tools = ["ffmpeg"];

    public static readonly IReadOnlyList<int> Heights = [360, 720, 1080];

    /// <summary>A title and a body line each, or one large word. Every word is distinct within its slide, so a word read twice is a duplicate, never a second occurrence.</summary>
    public static readonly IReadOnlyList<OnScreenTextSlide> Slides =
    [
        new("dark on light", _ => "color=c=white", "black", "ORBIT CANYON", "lantern meadow pepper"),
        new("light on dark", _ => "color=c=0x101830", "white", "GLACIER TIMBER", "harvest copper violin"),
        new("black on orange", _ => "color=c=orange", "black", "ROCKET BALLAD", "quarterly revenue autumn"),
        new("white on crimson", _ => "color=c=0xb03030", "white", "MARBLE FALCON", "window garden ticket"),
        new("navy on lemon", _ => "color=c=0xf0e050", "0x102060", "SUMMIT PLANET", "bridge candle monkey"),
        new("black on a light gradient", size => Gradient(size, "0xa0d0ff", "0xffc0e0"), "black", "CASTLE MIRROR", "pirate blanket cotton"),
        new("white on a dark gradient", size => Gradient(size, "0x200040", "0x006080"), "white", "THUNDER ISLAND", "rabbit saddle forest"),
        new("outlined white on a test pattern", _ => "testsrc2", "white", "ZEPPELIN HARBOUR", "seven golden trumpets", Outlined: true),
        new("outlined yellow on colour bars", _ => "smptebars", "yellow", "DRAGON COFFEE", "silver basket jungle", Outlined: true),
        // One large word in the middle, as the pipeline's sample video draws them: where pieces of a word were read twice.
        new("one large outlined word on a test pattern", _ => "testsrc2", "white", "ROCKET", "", Outlined: true, TitleSize: 6),
        new("one large outlined word on a fractal", _ => "mandelbrot", "white", "GIRAFFE", "", Outlined: true, TitleSize: 6),
    ];

    private static readonly Lazy<Task<IReadOnlyList<OnScreenTextKeyframe>>> All = new(() => GenerateAsync(Slides, Heights));

    /// <summary>Every slide at every height (read only).</summary>
    public static Task<IReadOnlyList<OnScreenTextKeyframe>> AllAsync() => All.Value;

    /// <summary>Generates the keyframes into a temp folder named by their specification (kept between runs).</summary>
    public static async Task<IReadOnlyList<OnScreenTextKeyframe>> GenerateAsync(
        IReadOnlyList<OnScreenTextSlide> slides, IReadOnlyList<int> heights, CancellationToken ct = default)
    {
        var keyframes = slides.SelectMany(slide => heights.Select(height => (slide, height, source: slide.Source(Size(height))))).ToList();
        var specification = JsonSerializer.Serialize(keyframes.Select(k =>
            new { k.slide.Name, k.height, k.source, k.slide.TextColor, k.slide.Title, k.slide.Body, k.slide.Outlined, k.slide.TitleSize }));
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(specification)))[..16];
        var folder = Path.Combine(Path.GetTempPath(), "veeky-ocr-keyframes", key);
        Directory.CreateDirectory(folder);
        var runner = new ProcessRunner(NullLogger<ProcessRunner>.Instance);
        var result = keyframes.Select((k, i) => new OnScreenTextKeyframe(k.slide, k.height, Path.Combine(folder, $"{i:D3}-{k.height}p.jpg"))).ToList();
        await Parallel.ForEachAsync(result.Zip(keyframes), new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = ct },
            async (pair, token) =>
            {
                var (keyframe, (slide, height, source)) = pair;
                if (File.Exists(keyframe.Path)) return;
                var (width, _) = Size(height);
                var border = slide.Outlined ? $":borderw={Math.Max(2, height / 180)}:bordercolor=black" : "";
                var partial = $"{keyframe.Path}.{Guid.NewGuid():N}.partial.jpg";
                await runner.RunAsync("ffmpeg",
                [
                    "-hide_banner", "-nostats", "-loglevel", "error", "-y",
                    "-f", "lavfi", "-i", $"{source}{(source.Contains('=') ? ':' : '=')}s={width}x{height}",
                    "-vf",
                    $"drawtext=fontfile={TitleFont}:text='{slide.Title}':fontsize={height / slide.TitleSize}:fontcolor={slide.TextColor}{border}"
                    + (slide.Body.Length == 0
                        ? ":x=(w-tw)/2:y=(h-th)/2,"
                        : $":x=(w-tw)/2:y=h*0.2,drawtext=fontfile={BodyFont}:text='{slide.Body}':fontsize={height / 22}:fontcolor={slide.TextColor}{border}:x=w*0.1:y=h*0.62,")
                    // Like a keyframe: a frame of a 4:2:0 video saved at the keyframes' JPEG quality.
                    + "format=yuv420p",
                    "-frames:v", "1", "-q:v", "3", partial,
                ], TimeSpan.FromMinutes(1), token);
                File.Move(partial, keyframe.Path, overwrite: true);
            });
        return result;
    }

    private static (int Width, int Height) Size(int height) => (height * 16 / 9, height);

    /// <summary>A diagonal two-colour gradient over the whole frame; its positions are fixed, not ffmpeg's random ones.</summary>
    private static string Gradient((int Width, int Height) size, string from, string to) =>
        $"gradients=c0={from}:c1={to}:x0=0:y0=0:x1={size.Width}:y1={size.Height}:seed=1";
}

/// <summary>One slide design: its lavfi background for a frame size, the text colour, and its words: a bold title of a
/// <paramref name="TitleSize"/>th of the height and a line of body text of a 22nd, or the title alone in the middle.</summary>
public sealed record OnScreenTextSlide(
    string Name, Func<(int Width, int Height), string> Source, string TextColor, string Title, string Body, bool Outlined = false,
    int TitleSize = 9)
{
    public IReadOnlyList<string> Words => $"{Title} {Body}".Split(' ', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>A generated keyframe: the slide drawn at a height, saved at <paramref name="Path"/>.</summary>
public sealed record OnScreenTextKeyframe(OnScreenTextSlide Slide, int Height, string Path)
{
    public override string ToString() => $"{Slide.Name} at {Height}p";
}

/// <summary>
/// How well the text read from keyframes matches the words drawn on them. Words are compared by letters and digits,
/// ignoring case. A duplicated fragment is a word read more than once, or a piece of another word read from the same
/// keyframe (ZEPPELIN ELIN, ROGKET GKET); no drawn word is a piece of another on its slide.
/// </summary>
public sealed record OnScreenTextScore(int Drawn, int Found, int Read, int Correct, int Duplicates, IReadOnlyList<string> Mistakes)
{
    public double Recall => Drawn == 0 ? 1 : (double)Found / Drawn;

    public double Precision => Read == 0 ? 1 : (double)Correct / Read;

    public static OnScreenTextScore Of(OnScreenTextKeyframe keyframe, string text)
    {
        var drawn = keyframe.Slide.Words.Select(Normalize).ToList();
        var read = text.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(Normalize).Where(w => w.Length > 0).ToList();
        var found = drawn.Where(read.Contains).ToList();
        var repeated = read.Count - read.Distinct().Count();
        var pieces = read.Distinct().Count(r => read.Any(other => other.Length > r.Length && other.Contains(r, StringComparison.Ordinal)));
        var missed = drawn.Except(found).ToList();
        var wrong = read.Where(r => !drawn.Contains(r)).ToList();
        var mistakes = missed.Count + wrong.Count + repeated + pieces == 0
            ? []
            : new[] { $"{keyframe}: missed [{string.Join(' ', missed)}], wrong [{string.Join(' ', wrong)}], duplicated {repeated + pieces}" };
        return new(drawn.Count, found.Count, read.Count, read.Count(drawn.Contains), repeated + pieces, mistakes);
    }

    public static OnScreenTextScore Sum(IEnumerable<OnScreenTextScore> scores) =>
        scores.Aggregate(new OnScreenTextScore(0, 0, 0, 0, 0, []), (a, b) => new(a.Drawn + b.Drawn, a.Found + b.Found,
            a.Read + b.Read, a.Correct + b.Correct, a.Duplicates + b.Duplicates, [.. a.Mistakes, .. b.Mistakes]));

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"recall {Recall:P1} ({Found}/{Drawn}), precision {Precision:P1} ({Correct}/{Read}), duplicated fragments {Duplicates}")
        + (Mistakes.Count == 0 ? "" : "\n" + string.Join('\n', Mistakes));

    private static string Normalize(string word) => new string(word.Where(char.IsLetterOrDigit).ToArray()).ToUpperInvariant();
}
