using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;
using Veeky.Processes;

/// <summary>
/// The README's screenshots: pages at 1280x800 in the light and the dark theme (the site follows the system's colour
/// scheme), as <c>screenshot-{page}-{theme}.png</c>, reduced to a 256-colour palette by ffmpeg so the repository stays small.
/// </summary>
internal static class Screenshots
{
    public static async Task CaptureAsync(IBrowser browser, string baseUrl, string storageState, IReadOnlyList<(string Name, string Path)> pages,
        string folder)
    {
        Directory.CreateDirectory(folder);
        var ffmpeg = new ProcessRunner(NullLogger<ProcessRunner>.Instance);
        foreach (var (scheme, theme) in new[] { (ColorScheme.Light, "light"), (ColorScheme.Dark, "dark") })
        {
            await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
            {
                ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
                StorageState = storageState,
                ColorScheme = scheme,
            });
            var page = await context.NewPageAsync();
            foreach (var (name, path) in pages)
            {
                await page.GotoAsync(baseUrl + path, new() { WaitUntil = WaitUntilState.Load });
                // Lazy keyframes and the player's poster come in after load.
                await page.WaitForTimeoutAsync(1500);
                var raw = Path.Combine(Path.GetTempPath(), $"veeky-shot-{Guid.NewGuid():N}.png");
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = raw });
                var target = Path.Combine(folder, $"screenshot-{name}-{theme}.png");
                await ffmpeg.RunAsync("ffmpeg",
                [
                    "-hide_banner", "-loglevel", "error", "-y", "-i", raw,
                    "-vf", "split[a][b];[a]palettegen=max_colors=256:stats_mode=full[p];[b][p]paletteuse=dither=none",
                    "-compression_level", "100", "-update", "1", target,
                ], TimeSpan.FromMinutes(1), CancellationToken.None);
                File.Delete(raw);
                Console.WriteLine($"{target} ({new FileInfo(target).Length / 1024.0:F0} KiB)");
            }
        }
    }
}
