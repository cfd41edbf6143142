using Microsoft.Playwright;

namespace Veeky.Tests.Infrastructure;

/// <summary>Headless Chromium from the system package, driven by Playwright (no browser download here).</summary>
public sealed class WebBrowser : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Desktop and phone viewports the screenshots are taken at.</summary>
    public static readonly ViewportSize Desktop = new() { Width = 1280, Height = 800 };
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    private readonly IPlaywright playwright;

    private WebBrowser(IPlaywright playwright, IBrowser browser)
    {
        this.playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<WebBrowser> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        return new WebBrowser(playwright, browser);
    }

    /// <summary>Where screenshots go: <c>Veeky.Tests/TestResults/screenshots</c> (git-ignored), for people to look at.</summary>
    public static string ScreenshotPath(string name)
    {
        var folder = Path.Combine(FindTestProjectFolder(), "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name + ".png");
    }

    private static string FindTestProjectFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Veeky.Tests.csproj")))
            {
                return dir.FullName;
            }
        }
        return Directory.GetCurrentDirectory();
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright.Dispose();
    }
}
