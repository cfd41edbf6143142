using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Veeky.Data;
using Veeky.Search;
using Veeky.Tests.Infrastructure;
using Veeky.Videos;
using Veeky.Web.Components;
using static Microsoft.Playwright.Assertions;

namespace Veeky.Tests.Web;

/// <summary>
/// The Ask box on the search page against the all-in-one host with the fake Ollama server as its chat model: the
/// answer streams in through <c>POST /ask</c>, its sources (the cited ones marked) open the video at the moment, a refusal shows its sentence,
/// and without script the form still gets the whole answer.
/// </summary>
public sealed class AskBrowserTests(AskBrowserTests.Host host) : IClassFixture<AskBrowserTests.Host>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_question_streams_its_answer_and_a_citation_opens_the_video_at_the_moment()
    {
        Requires.Tools(WebBrowser.ChromiumPath);
        await using var browser = await WebBrowser.LaunchAsync();
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = WebBrowser.Desktop });
        var page = await context.NewPageAsync();
        await SignInAsync(page, "/search?q=revenue");
        var streamed = page.WaitForResponseAsync(r => r.Url.EndsWith("/ask", StringComparison.Ordinal) && r.Request.Method == "POST");

        await page.FillAsync("#ask-question", "quarterly revenue");
        await page.ClickAsync("form[data-ask] button[type=submit]");

        var response = await streamed;
        Assert.Equal(200, response.Status);
        Assert.StartsWith("text/event-stream", await response.HeaderValueAsync("content-type"));
        var text = page.Locator("[data-ask-text]");
        // The fake model echoes the prompt word by word: its tokens are the question and the cited moment's words.
        await Expect(text).ToContainTextAsync("You said:");
        await Expect(text).ToContainTextAsync("Question: quarterly revenue");
        // The echoed prompt carries every [n], so each source is marked as cited.
        var citation = page.Locator("[data-ask-sources-list] li[data-cited=true] a").First;
        await Expect(citation).ToContainTextAsync(Host.VideoTitle);
        await Expect(citation).ToContainTextAsync("00:12");
        await Expect(citation).ToContainTextAsync("cited");
        // Answered in place: the page did not navigate to the no-script answer.
        Assert.DoesNotContain("ask=", page.Url);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = WebBrowser.ScreenshotPath("ask-desktop"), FullPage = true });

        await citation.ClickAsync();
        await page.WaitForURLAsync(url => url.Contains($"/videos/{host.VideoId}?t=12.5", StringComparison.Ordinal));
        await Expect(page.Locator("h1")).ToContainTextAsync(Host.VideoTitle);

        // A model that is missing makes the API refuse with 503: its sentence shows in the box.
        host.Model.Enqueue("/api/chat", new FakeReply(404, """{"error":"model \"llama3.2\" not found, try pulling it first"}"""));
        await page.GotoAsync(host.BaseUrl + "/search?q=revenue");
        await page.FillAsync("#ask-question", "quarterly revenue");
        await page.ClickAsync("form[data-ask] button[type=submit]");
        var error = page.Locator("[data-ask-error]");
        await Expect(error).ToBeVisibleAsync();
        await Expect(error).ToContainTextAsync("ollama pull llama3.2");
        await Expect(page.Locator("[data-ask-sources-list] a")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-ask-sources]")).ToBeHiddenAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = WebBrowser.ScreenshotPath("ask-refused-desktop"), FullPage = true });

        // On a phone the box, the answer and the citations stay within the screen's width.
        var phone = await (await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = WebBrowser.Phone })).NewPageAsync();
        await SignInAsync(phone, "/search?q=revenue");
        await phone.FillAsync("#ask-question", "quarterly revenue");
        await phone.ClickAsync("form[data-ask] button[type=submit]");
        await Expect(phone.Locator("[data-ask-sources-list] a").First).ToBeVisibleAsync();
        var width = await phone.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= WebBrowser.Phone.Width, $"the page scrolls sideways: {width} px wide");
        await phone.ScreenshotAsync(new PageScreenshotOptions { Path = WebBrowser.ScreenshotPath("ask-phone"), FullPage = true });
    }

    [Fact]
    public async Task An_answer_that_cites_nothing_still_lists_its_sources_under_it_each_opening_its_moment()
    {
        Requires.Tools(WebBrowser.ChromiumPath);
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await (await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = WebBrowser.Desktop })).NewPageAsync();
        await SignInAsync(page, "/search?q=revenue");
        // A small local model's answer: right, but without a single [n].
        host.Model.Enqueue("/api/chat", UncitedAnswer("Revenue grew by a third this quarter."));

        await page.FillAsync("#ask-question", "quarterly revenue");
        await page.ClickAsync("form[data-ask] button[type=submit]");

        await Expect(page.Locator("[data-ask-text]")).ToHaveTextAsync("Revenue grew by a third this quarter.");
        var sources = page.Locator("[data-ask-sources]");
        await Expect(sources).ToBeVisibleAsync();
        await Expect(sources.Locator("h3")).ToHaveTextAsync("Sources");
        var first = sources.Locator("li").First;
        await Expect(first).ToHaveAttributeAsync("data-cited", "false");
        await Expect(first).Not.ToContainTextAsync("cited");
        await Expect(first.Locator("a")).ToHaveAttributeAsync("href", $"/videos/{host.VideoId}?t=12.5");
        await Expect(sources.Locator("li[data-cited=true]")).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = WebBrowser.ScreenshotPath("ask-sources-uncited"), FullPage = true });

        await first.Locator("a").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains($"/videos/{host.VideoId}?t=12.5", StringComparison.Ordinal));
    }

    /// <summary>Ollama's streamed /api/chat answer of one piece of text.</summary>
    private static FakeReply UncitedAnswer(string text)
    {
        var piece = new System.Text.Json.Nodes.JsonObject
        {
            ["model"] = "llama3.2", ["created_at"] = "2026-01-01T00:00:00Z",
            ["message"] = new System.Text.Json.Nodes.JsonObject { ["role"] = "assistant", ["content"] = text }, ["done"] = false,
        };
        var done = new System.Text.Json.Nodes.JsonObject
        {
            ["model"] = "llama3.2", ["created_at"] = "2026-01-01T00:00:01Z",
            ["message"] = new System.Text.Json.Nodes.JsonObject { ["role"] = "assistant", ["content"] = "" }, ["done"] = true, ["done_reason"] = "stop",
        };
        return new FakeReply(200, piece.ToJsonString() + "\n" + done.ToJsonString() + "\n", ContentType: "application/x-ndjson");
    }

    [Fact]
    public async Task Without_script_the_form_post_comes_back_as_the_search_page_with_the_whole_answer()
    {
        using var client = host.CreateClient();
        await SignInAsync(client);
        var form = WebPageForms.HiddenFields(await client.GetStringAsync("/search?q=revenue", Ct));
        Assert.Equal("revenue", form["q"]);

        using var post = await client.PostAsync("/ask", new FormUrlEncodedContent(new Dictionary<string, string>(form)
        {
            ["question"] = "quarterly revenue",
        }), Ct);

        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        var location = post.Headers.Location!.OriginalString;
        Assert.StartsWith("/search?q=revenue&ask=quarterly%20revenue", location);
        var html = await client.GetStringAsync(location, Ct);
        Assert.Contains("You said:", html);
        Assert.Contains($"href=\"/videos/{host.VideoId}?t=12.5\"", html);
        Assert.Contains("data-cited=\"true\"", html);

        // A refusal of the API (503: the model is missing) shows its sentence in the box, and the page still renders.
        host.Model.Enqueue("/api/chat", new FakeReply(404, """{"error":"model \"llama3.2\" not found, try pulling it first"}"""));
        var refused = await client.GetAsync(location, Ct);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var refusedHtml = await refused.Content.ReadAsStringAsync(Ct);
        Assert.Contains("ollama pull llama3.2", refusedHtml);
        Assert.DoesNotContain("You said:", refusedHtml);
    }

    [Fact]
    public async Task The_relay_passes_the_api_event_stream_through_with_the_sources_rendered_and_refuses_a_post_without_its_antiforgery_token()
    {
        using var client = host.CreateClient();
        await SignInAsync(client);
        var form = WebPageForms.HiddenFields(await client.GetStringAsync("/search", Ct));

        using var forged = new HttpRequestMessage(HttpMethod.Post, "/ask")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["question"] = "quarterly revenue" }),
        };
        forged.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var refused = await client.SendAsync(forged, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/ask")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>(form) { ["question"] = "quarterly revenue" }),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var stream = new ApiEventStream(await response.Content.ReadAsStreamAsync(Ct));
        var events = new List<ServerSentEvent>();
        while (await stream.ReadAsync(Ct) is { } e)
        {
            events.Add(e);
        }
        Assert.True(events.Count(e => e.Type == "token") > 3);
        Assert.Equal("citations", events[^2].Type);
        Assert.Contains(host.VideoId.ToString(), events[^2].Data);
        // Then the sources as the search page renders them (AskSources), so ask.js builds no markup of its own.
        Assert.Equal("sources", events[^1].Type);
        var sources = JsonDocument.Parse(events[^1].Data).RootElement.GetProperty("html").GetString();
        Assert.Contains("data-ask-sources-list", sources);
        Assert.Contains($"href=\"/videos/{host.VideoId}?t=12.5\"", sources);
        Assert.Contains("<span class=\"ask-citations__time\">00:12</span>", sources);
    }

    private async Task SignInAsync(IPage page, string returnUrl)
    {
        await page.GotoAsync(host.BaseUrl + returnUrl);
        await page.FillAsync("#email", Host.AdminEmail);
        await page.FillAsync("#password", Host.AdminPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
    }

    private static async Task SignInAsync(HttpClient client)
    {
        using var response = await WebPageForms.SignInAsync(client, Host.AdminEmail, Host.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    /// <summary>
    /// The all-in-one host on Kestrel (a browser needs a real port) with the fake Ollama server as its chat model and
    /// one indexed video whose second moment, at 12.5 s, speaks of quarterly revenue.
    /// </summary>
    public sealed class Host : IAsyncLifetime
    {
        public const string AdminEmail = "admin@ask.test";
        public const string AdminPassword = "Ask-Test-Passw0rd!";
        public const string VideoTitle = "Quarterly review";

        private readonly TempFolder _data = new("veeky-web-ask");
        private Factory? _factory;

        public FakeModelServer Model { get; } = new();
        public IServiceProvider Services => _factory!.Services;
        public string BaseUrl { get; private set; } = "";
        public Guid VideoId { get; } = Guid.CreateVersion7();

        public async ValueTask InitializeAsync()
        {
            await Model.InitializeAsync();
            _factory = new Factory(_data.Path, $"Endpoint={Model.Endpoint};Model=llama3.2");
            _factory.UseKestrel(0);
            _factory.StartServer();
            BaseUrl = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
            await SeedAsync(_factory.Services);
        }

        /// <summary>A client of the real port that keeps cookies and shows redirects instead of following them.</summary>
        public HttpClient CreateClient() =>
            new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(BaseUrl) };

        public async ValueTask DisposeAsync()
        {
            if (_factory is not null)
            {
                await _factory.DisposeAsync();
            }
            await Model.DisposeAsync();
            _data.Dispose();
        }

        private async Task SeedAsync(IServiceProvider services)
        {
            var now = DateTimeOffset.UtcNow;
            var category = new Category { Id = Guid.CreateVersion7(), Name = "Finance", CreatedAt = now };
            var video = new Video
            {
                Id = VideoId,
                Title = VideoTitle,
                Keywords = [],
                CategoryId = category.Id,
                UploaderId = Guid.Empty,
                Status = VideoStatus.Completed,
                Stage = VideoStage.Done,
                Progress = 1,
                StoragePath = $"videos/{VideoId}/original.mp4",
                ContentType = "video/mp4",
                SizeBytes = 1,
                Sha256 = new string('0', 64),
                DurationSeconds = 20,
                Width = 320,
                Height = 240,
                SegmentCount = 2,
                CreatedAt = now,
                UpdatedAt = now,
            };
            video.Segments.Add(new Segment { VideoId = VideoId, Index = 0, Start = 0, End = 12.5, Transcript = "welcome everyone" });
            video.Segments.Add(new Segment { VideoId = VideoId, Index = 1, Start = 12.5, End = 20, Transcript = "quarterly revenue grew by a third" });
            await using (var db = new VeekyDbContext(services.GetRequiredService<DatabaseProvider>().CreateOptions()))
            {
                video.UploaderId = db.Users.Select(u => u.Id).First();
                db.Categories.Add(category);
                db.Videos.Add(video);
                await db.SaveChangesAsync();
            }
            await services.GetRequiredService<ISearchIndex>().ReplaceVideoAsync(
                new VideoDocument(VideoId, category.Id, VideoTitle, null, [], null, now),
                video.Segments.Select(s => new SegmentDocument(VideoId, s.Index, s.Start, s.End, s.Transcript, null, null, [])).ToList());
        }

        private sealed class Factory(string dataDirectory, string chat) : WebApplicationFactory<App>
        {
            protected override void ConfigureWebHost(IWebHostBuilder builder)
            {
                builder.UseSetting("Veeky:DataDirectory", dataDirectory);
                builder.UseSetting("Veeky:BootstrapAdmin:Email", AdminEmail);
                builder.UseSetting("Veeky:BootstrapAdmin:Password", AdminPassword);
                builder.UseSetting("ConnectionStrings:ollama-chat", chat);
            }
        }
    }
}
