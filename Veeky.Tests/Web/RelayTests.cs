using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Web;

/// <summary>What the UI host passes through from the API: live progress events and (UI-only edition) media links.</summary>
public sealed class RelayTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Progress_events_are_relayed_with_the_session_token_and_the_badge_stage_and_percent_as_the_pages_render_them()
    {
        await using var factory = new WebUiFactory();
        using var client = factory.CreateBrowserlikeClient();
        await WebPageForms.SignInAsync(client, WebFakeApi.Email, WebFakeApi.Password);

        using var response = await client.GetAsync($"/live/videos/{WebFakeApi.AllHands.Id}", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var events = new ApiEventStream(new MemoryStream(Encoding.UTF8.GetBytes(await response.Content.ReadAsStringAsync(Ct))));
        var relayed = await events.ReadAsync(Ct);
        Assert.NotNull(relayed);
        Assert.Equal("progress", relayed.Type);
        var state = JsonDocument.Parse(relayed.Data).RootElement;
        // What the API sent, as it sent it ...
        Assert.Equal("Processing", state.GetProperty("status").GetString());
        Assert.Equal("Transcribing", state.GetProperty("stage").GetString());
        Assert.Equal(0.5, state.GetProperty("progress").GetDouble());
        // ... and what the pages show of it, rendered by StatusBadge on the server so live.js does not spell it again.
        Assert.Equal("<span class=\"badge badge--processing\" title=\"Processing: Transcribing\">Transcribing 50%</span>",
            state.GetProperty("badge").GetString());
        Assert.Equal("Transcribing", state.GetProperty("stageText").GetString());
        Assert.Equal("50%", state.GetProperty("percent").GetString());
        Assert.Null(await events.ReadAsync(Ct));
        var upstream = Assert.Single(factory.Api.Requests, r => r.Path.EndsWith("/events", StringComparison.Ordinal));
        Assert.Equal($"Bearer {factory.Api.CurrentAccessToken}", upstream.Authorization);
    }

    [Fact]
    public async Task Progress_events_need_a_session()
    {
        await using var factory = new WebUiFactory();
        using var client = factory.CreateBrowserlikeClient();

        using var response = await client.GetAsync($"/live/videos/{WebFakeApi.AllHands.Id}", Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.DoesNotContain(factory.Api.Requests, r => r.Path.EndsWith("/events", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_signed_media_link_plays_through_the_ui_host_with_ranges_and_no_session()
    {
        await using var factory = new WebUiFactory();
        using var client = factory.CreateBrowserlikeClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/videos/{WebFakeApi.AllHands.Id}/stream?exp=1&sig=valid");
        request.Headers.Range = new RangeHeaderValue(2, 5);

        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal("bytes 2-5/10", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal("2345", await response.Content.ReadAsStringAsync(Ct));
        var upstream = Assert.Single(factory.Api.Requests, r => r.Path.Contains("/stream", StringComparison.Ordinal));
        Assert.Equal($"/api/videos/{WebFakeApi.AllHands.Id}/stream?exp=1&sig=valid", upstream.Path);
        Assert.Equal("bytes=2-5", upstream.Range);
    }
}
