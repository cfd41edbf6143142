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

    /// <summary>
    /// Fills the sign-in form the page shows and waits until the browser has landed on <paramref name="expectedUrl"/>.
    /// It waits for the document, not for every image and stream of the page to finish loading, and when the landing
    /// does not come it says where the browser is and what the page says instead of a bare timeout.
    /// </summary>
    public static async Task SignInOnPageAsync(IPage page, string email, string password, string expectedUrl)
    {
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("button[type=submit]");
        try
        {
            await page.WaitForURLAsync(expectedUrl, new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        }
        catch (TimeoutException e)
        {
            string shown;
            try
            {
                shown = (await page.Locator("body").InnerTextAsync(new() { Timeout = 5_000 })).Trim();
            }
            catch (PlaywrightException)
            {
                shown = "(the page could not be read)";
            }
            throw new TimeoutException($"Signing in did not land on {expectedUrl}; the browser is at {page.Url}, showing: {shown}", e);
        }
    }

    /// <summary>Limits the page's uplink to 64 KiB/s (Chromium's network emulation), so an upload is still under way
    /// when the test acts on it.</summary>
    public static async Task SlowUploadsAsync(IPage page)
    {
        var cdp = await page.Context.NewCDPSessionAsync(page);
        await cdp.SendAsync("Network.enable");
        await cdp.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
        {
            ["offline"] = false, ["latency"] = 20, ["downloadThroughput"] = -1, ["uploadThroughput"] = 64 * 1024,
        });
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
