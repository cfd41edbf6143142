using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Veeky.Bench;
using Veeky.Indexer.Text;
using Veeky.Processes;
using Veeky.Tests.Infrastructure;

// Reads the generated keyframes of the on-screen text tests with the previous and the current preparation, one keyframe
// at a time with the two taking turns (so both see the same load), and prints word recall, precision, duplicated
// fragments and time per keyframe side by side. CPU time is that of ffmpeg and tesseract, read from /proc: on a busy
// machine it is the fairer of the two times.
var rounds = (int)ArgumentOr("--rounds", 3);
var verbose = args.Contains("--verbose");

var settings = new TextReadingOptions();
var runner = new ProcessRunner(NullLogger<ProcessRunner>.Instance);
var readers = new (string Name, Func<OnScreenTextKeyframe, string, Task<string>> Read)[]
{
    ("stacked (before)", (k, work) => new StackedBrightMaskOcr(runner, settings).ReadAsync(k.Path, k.Height, work, CancellationToken.None)),
    ("pages (now)", (k, work) => new TesseractOcr(runner, Options.Create(settings)).ReadAsync(k.Path, k.Height, work, CancellationToken.None)),
};

Console.WriteLine("Generating the keyframes (cached in the temp folder)...");
var keyframes = await OnScreenTextKeyframes.AllAsync();
var work = Directory.CreateTempSubdirectory("veeky-bench-ocr").FullName;
var scores = readers.Select(_ => new List<OnScreenTextScore>()).ToArray();
var wall = readers.Select(_ => new Dictionary<int, List<double>>()).ToArray();
var cpu = readers.Select(_ => new Dictionary<int, List<double>>()).ToArray();
try
{
    for (var round = 0; round < rounds; round++)
    {
        foreach (var keyframe in keyframes)
        {
            for (var r = 0; r < readers.Length; r++)
            {
                var (cpuBefore, started) = (ChildCpuMilliseconds(), Stopwatch.GetTimestamp());
                var text = await readers[r].Read(keyframe, work);
                Add(wall[r], keyframe.Height, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                Add(cpu[r], keyframe.Height, ChildCpuMilliseconds() - cpuBefore);
                if (round == 0) scores[r].Add(OnScreenTextScore.Of(keyframe, text));
            }
        }
    }
}
finally
{
    Directory.Delete(work, recursive: true);
}

var totals = scores.Select(OnScreenTextScore.Sum).ToArray();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"\n{keyframes.Count} keyframes ({OnScreenTextKeyframes.Slides.Count} slides at {string.Join('/', OnScreenTextKeyframes.Heights)}p), {totals[0].Drawn} words, timing over {rounds} round(s), one keyframe at a time\n"));
Row("", readers.Select(r => r.Name));
Row("word recall", totals.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Recall:P1} ({t.Found}/{t.Drawn})")));
Row("word precision", totals.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Precision:P1} ({t.Correct}/{t.Read})")));
Row("duplicated fragments", totals.Select(t => t.Duplicates.ToString(CultureInfo.InvariantCulture)));
foreach (var height in OnScreenTextKeyframes.Heights)
{
    Row($"ms/keyframe {height}p wall", wall.Select(w => Median(w[height])));
    Row($"ms/keyframe {height}p CPU", cpu.Select(c => Median(c[height])));
}
foreach (var slide in OnScreenTextKeyframes.Slides)
{
    Row($"recall: {slide.Name}", scores.Select(s => string.Create(CultureInfo.InvariantCulture,
        $"{OnScreenTextScore.Sum(s.Where((_, i) => keyframes[i].Slide == slide)).Recall:P0}")));
}
if (verbose)
{
    for (var r = 0; r < readers.Length; r++)
    {
        Console.WriteLine($"\n{readers[r].Name}:\n  {string.Join("\n  ", totals[r].Mistakes)}");
    }
}

static void Row(string label, IEnumerable<string> cells) =>
    Console.WriteLine($"{label,-50}{string.Concat(cells.Select(c => $"{c,-22}"))}");

static string Median(List<double> samples) =>
    samples.Order().ElementAt(samples.Count / 2).ToString("0", CultureInfo.InvariantCulture);

static void Add(Dictionary<int, List<double>> samples, int height, double value)
{
    if (!samples.TryGetValue(height, out var list)) samples[height] = list = [];
    list.Add(value);
}

// User and system time of the waited-for children (ffmpeg, tesseract): fields 16 and 17 of /proc/self/stat, in clock
// ticks of 10 ms.
static double ChildCpuMilliseconds()
{
    var fields = File.ReadAllText("/proc/self/stat").Split(')')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    return (long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture)) * 10.0;
}

double ArgumentOr(string name, double fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? double.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
