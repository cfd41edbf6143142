using System.Net.ServerSentEvents;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Veeky.Web.Components;
using Veeky.Web.Live;

namespace Veeky.Tests.Web;

/// <summary>How the live relay rewrites the API's progress events: the badge, stage and percent added as the pages
/// render them, everything the browser's EventSource relies on (the event's type and id) kept.</summary>
public sealed class LiveStatusRenderingTests : IAsyncLifetime
{
    private readonly ServiceProvider _services = new ServiceCollection().AddLogging().BuildServiceProvider();
    private ComponentHtml _html = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _html = new ComponentHtml(_services, _services.GetRequiredService<ILoggerFactory>());
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _html.DisposeAsync();
        await _services.DisposeAsync();
    }

    [Fact]
    public async Task A_relayed_progress_event_keeps_its_id_so_a_reconnecting_page_resumes_where_it_left_off()
    {
        var id = Guid.CreateVersion7();
        var upstream = new SseItem<string>(
            $$"""{"id":"{{id}}","status":"Failed","stage":"Transcribing","progress":0.4,"error":"ffmpeg stopped"}""", "progress")
        {
            EventId = "638999000000000000",
        };

        var relayed = Assert.Single(await LiveProgressEndpoints.WithRenderedStatusAsync(_html, upstream, Ct).ToListAsync(Ct));

        Assert.Equal("progress", relayed.EventType);
        Assert.Equal("638999000000000000", relayed.EventId);
        var state = JsonDocument.Parse(relayed.Data).RootElement;
        Assert.Equal(id, state.GetProperty("id").GetGuid());
        Assert.Equal("ffmpeg stopped", state.GetProperty("error").GetString());
        Assert.Equal("<span class=\"badge badge--failed\" title=\"Failed\">Failed</span>", state.GetProperty("badge").GetString());
        Assert.Equal("40%", state.GetProperty("percent").GetString());
    }

    [Theory]
    [InlineData("message", """{"status":"Processing"}""")]
    [InlineData("progress", "not json")]
    [InlineData("progress", """{"stage":"Probing"}""")]
    public async Task An_event_that_is_not_a_video_state_passes_through_unchanged(string type, string data)
    {
        var upstream = new SseItem<string>(data, type) { EventId = "7" };

        var relayed = Assert.Single(await LiveProgressEndpoints.WithRenderedStatusAsync(_html, upstream, Ct).ToListAsync(Ct));

        Assert.Equal(upstream, relayed);
    }
}
