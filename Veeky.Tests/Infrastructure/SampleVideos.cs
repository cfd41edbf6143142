using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Veeky.Tests.Infrastructure;

/// <summary>
/// The sample videos of the pipeline tests, generated once and cached in the temp folder (keyed by their
/// specification, so a changed sample is generated again). Call <see cref="Requires"/> for
/// <see cref="SampleVideoGenerator.Tools"/> before using them.
/// </summary>
public static class SampleVideos
{
    /// <summary>Four scenes of uneven length at 640x360, 25 fps: words on flat colours, one word on a busy test
    /// pattern, and a sentence spoken inside the second and fourth scenes.</summary>
    public static readonly SampleVideoSpec Scenes = new(640, 360, 25,
        [
            new SampleScene(3.2, "color=c=navy", "WELCOME"),
            new SampleScene(5.0, "testsrc2", "GIRAFFE", Outlined: true),
            new SampleScene(2.4, "color=c=darkgreen", "QUARTERLY", TextColor: "yellow"),
            new SampleScene(4.4, "color=c=maroon"),
        ],
        [
            new SampleSpeech("The purple elephant dances on the river bank.", 3.9),
            new SampleSpeech("Seven golden trumpets.", 11.2),
        ]);

    private static readonly Lazy<Task<string>> ScenesFile = new(() => GetAsync(Scenes));

    /// <summary>Path of the generated <see cref="Scenes"/> video (read only: copy it before changing it).</summary>
    public static Task<string> ScenesPathAsync() => ScenesFile.Value;

    private static async Task<string> GetAsync(SampleVideoSpec spec)
    {
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(spec))))[..16];
        var folder = Path.Combine(Path.GetTempPath(), "veeky-samples");
        var path = Path.Combine(folder, $"{key}.mp4");
        if (!File.Exists(path))
        {
            await new SampleVideoGenerator().GenerateAsync(spec, path);
        }
        return path;
    }
}
