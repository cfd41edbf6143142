using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Veeky.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Veeky.Tests.Web;

/// <summary>The account in a real browser against the all-in-one host: a new password, sign out everywhere, and the
/// admin's one-time reset link, at desktop and phone widths.</summary>
public sealed class AccountBrowserTests(WebAllInOneHost host) : IClassFixture<WebAllInOneHost>
{
    private const string Password = "First-Passw0rd-1";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Widths => ["desktop", "phone"];

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task A_person_changes_their_password_from_the_account_menu(string width)
    {
        Requires.Tools(WebBrowser.ChromiumPath);
        var (email, _) = await NewUserAsync();
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await SignedInPageAsync(browser, width, email, Password);

        await page.Locator(".user-menu summary").ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Your account" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your account", Level = 1 })).ToBeVisibleAsync();
        await page.FillAsync("#current-password", Password);
        await page.FillAsync("#new-password", "Second-Passw0rd-2");
        await page.FillAsync("#confirm-password", "Second-Passw0rd-X");
        await page.ClickAsync("button:has-text('Change password')");
        await Expect(page.Locator("#confirm-error")).ToHaveTextAsync("The two new passwords are not the same.");

        await page.FillAsync("#current-password", "Wrong-Passw0rd-0");
        await page.FillAsync("#new-password", "Second-Passw0rd-2");
        await page.FillAsync("#confirm-password", "Second-Passw0rd-2");
        await page.ClickAsync("button:has-text('Change password')");
        await Expect(page.Locator("#current-error")).ToHaveTextAsync("The current password is not correct.");

        await page.FillAsync("#current-password", Password);
        await page.FillAsync("#new-password", "Second-Passw0rd-2");
        await page.FillAsync("#confirm-password", "Second-Passw0rd-2");
        await page.ClickAsync("button:has-text('Change password')");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Your password is changed");
        await page.ScreenshotAsync(new() { Path = WebBrowser.ScreenshotPath($"account-{width}"), FullPage = true });

        // This browser's session goes on; the new password is the one that signs in.
        await page.GotoAsync(host.BaseUrl + "/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Library" })).ToBeVisibleAsync();
        using var signedIn = await host.SignInToApiAsync(email, "Second-Passw0rd-2");
    }

    [Fact]
    public async Task Sign_out_everywhere_ends_the_session_in_every_browser()
    {
        Requires.Tools(WebBrowser.ChromiumPath);
        var (email, _) = await NewUserAsync();
        await using var browser = await WebBrowser.LaunchAsync();
        var here = await SignedInPageAsync(browser, "desktop", email, Password);
        var elsewhere = await SignedInPageAsync(browser, "phone", email, Password);

        await here.GotoAsync(host.BaseUrl + "/account");
        here.Dialog += (_, dialog) => dialog.AcceptAsync();
        await here.ClickAsync("button:has-text('Sign out everywhere')");

        await here.WaitForURLAsync(url => url.Contains("/login", StringComparison.Ordinal));
        await elsewhere.GotoAsync(host.BaseUrl + "/");
        await elsewhere.WaitForURLAsync(url => url.Contains("/login", StringComparison.Ordinal));
        await Expect(elsewhere.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task An_admin_hands_over_a_reset_link_that_sets_a_new_password_once()
    {
        Requires.Tools(WebBrowser.ChromiumPath);
        var (email, id) = await NewUserAsync();
        await using var browser = await WebBrowser.LaunchAsync();
        var admin = await SignedInPageAsync(browser, "desktop", WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword);

        await admin.GotoAsync($"{host.BaseUrl}/admin/users/{id}");
        await admin.ClickAsync("button:has-text('Make a reset link')");
        var link = await admin.Locator("#reset-link").InputValueAsync();
        Assert.StartsWith($"{host.BaseUrl}/reset-password?user={id}&token=", link);

        var person = await (await browser.Browser.NewContextAsync(new() { ViewportSize = WebBrowser.Phone })).NewPageAsync();
        await person.GotoAsync(link);
        await person.FillAsync("#new-password", "Reset-Passw0rd-3");
        await person.FillAsync("#confirm-password", "Reset-Passw0rd-3");
        await person.ClickAsync("button:has-text('Set password')");
        await Expect(person.GetByRole(AriaRole.Status)).ToContainTextAsync("Your new password is set");
        using var signedIn = await host.SignInToApiAsync(email, "Reset-Passw0rd-3");

        await person.GotoAsync(link);
        await person.FillAsync("#new-password", "Another-Passw0rd-4");
        await person.FillAsync("#confirm-password", "Another-Passw0rd-4");
        await person.ClickAsync("button:has-text('Set password')");
        await Expect(person.GetByRole(AriaRole.Alert)).ToContainTextAsync("This reset link is not valid");
        using var anonymous = new HttpClient { BaseAddress = new Uri(host.BaseUrl + "/") };
        using var refused = await anonymous.PostAsJsonAsync("api/auth/login", new { email, password = "Another-Passw0rd-4" }, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    private async Task<(string Email, Guid Id)> NewUserAsync()
    {
        using var admin = await host.SignInToApiAsync(WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword);
        var email = $"person-{Guid.NewGuid():N}@veeky.test";
        using var created = await admin.PostAsJsonAsync("api/users", new { email, password = Password, role = "User", categoryIds = Array.Empty<Guid>() }, Ct);
        created.EnsureSuccessStatusCode();
        return (email, (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid());
    }

    private async Task<IPage> SignedInPageAsync(WebBrowser browser, string width, string email, string password)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = width == "phone" ? WebBrowser.Phone : WebBrowser.Desktop,
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync(host.BaseUrl + "/login");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        return page;
    }
}
