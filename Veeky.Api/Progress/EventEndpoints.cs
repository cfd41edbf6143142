using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Veeky.Api.Identity;
using Veeky.Api.Videos;
using Veeky.Contracts;
using Veeky.Data;
using Veeky.Identity;
using Veeky.Progress;
using Veeky.Videos;

namespace Veeky.Api.Progress;

/// <summary>
/// Live indexing progress as Server-Sent Events (<c>progress</c> events). Each stream starts with the current state
/// from the database, so a client reconnecting with <c>Last-Event-ID</c> misses nothing that is still current.
/// Event ids are the UTC ticks of the video's <c>updatedAt</c>.
/// </summary>
public static class EventEndpoints
{
    private const string EventType = "progress";

    public static RouteGroupBuilder MapEventEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api").WithTags("Progress").RequireAuthorization();
        group.MapGet("/videos/{id:guid}/events", VideoEventsAsync).WithName("VideoEvents")
            .WithSummary("Progress of one video; ends after Completed or Failed.");
        group.MapGet("/events", AllEventsAsync).WithName("AllEvents")
            .WithSummary("Progress of every video the caller can see.");
        return group;
    }

    public static async Task<Results<ServerSentEventsResult<ProgressEvent>, NotFound>> VideoEventsAsync(
        Guid id, VeekyDbContext db, CurrentUser currentUser, IProgressBroadcaster broadcaster, CancellationToken ct)
    {
        var scope = await currentUser.GetScopeAsync(ct);
        if (!await db.Videos.AsNoTracking().VisibleTo(scope).AnyAsync(v => v.Id == id, ct))
        {
            return TypedResults.NotFound();
        }
        return TypedResults.ServerSentEvents(StreamVideoAsync(id, scope, db, broadcaster, ct));
    }

    public static async Task<ServerSentEventsResult<ProgressEvent>> AllEventsAsync(
        HttpRequest request, VeekyDbContext db, CurrentUser currentUser, IProgressBroadcaster broadcaster, CancellationToken ct)
    {
        var scope = await currentUser.GetScopeAsync(ct);
        DateTimeOffset? since = long.TryParse(request.Headers["Last-Event-ID"], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && ticks is > 0 && ticks <= DateTimeOffset.MaxValue.UtcTicks
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : null;
        return TypedResults.ServerSentEvents(StreamAllAsync(scope, since, request.HttpContext.Response, db, broadcaster, ct));
    }

    private static async IAsyncEnumerable<SseItem<ProgressEvent>> StreamVideoAsync(
        Guid id, AccessScope scope, VeekyDbContext db, IProgressBroadcaster broadcaster, [EnumeratorCancellation] CancellationToken ct)
    {
        // Subscribe before reading the current state, so no change between the two is lost.
        await using var live = await ProgressSubscription.StartAsync(broadcaster, ct);

        var current = await db.Videos.AsNoTracking().VisibleTo(scope).Where(v => v.Id == id).FirstOrDefaultAsync(ct);
        if (current is null)
        {
            yield break;
        }
        var latest = current.UpdatedAt;
        yield return Item(VideoEndpoints.ToProgressEvent(current));
        if (IsFinished(current.Status))
        {
            yield break;
        }

        while (await live.NextAsync() is { } change)
        {
            if (change.Id != id || change.UpdatedAt < latest)
            {
                continue;
            }
            latest = change.UpdatedAt;
            yield return Item(change);
            if (IsFinished(change.Status))
            {
                yield break;
            }
        }
    }

    private static async IAsyncEnumerable<SseItem<ProgressEvent>> StreamAllAsync(
        AccessScope scope, DateTimeOffset? since, HttpResponse response, VeekyDbContext db, IProgressBroadcaster broadcaster, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var live = await ProgressSubscription.StartAsync(broadcaster, ct);

        // The current state: every video still being indexed, plus whatever changed since the client's last event.
        var videos = db.Videos.AsNoTracking().VisibleTo(scope);
        videos = since is { } after
            ? videos.Where(v => v.Status == VideoStatus.Pending || v.Status == VideoStatus.Processing || v.UpdatedAt > after)
            : videos.Where(v => v.Status == VideoStatus.Pending || v.Status == VideoStatus.Processing);
        var latest = new Dictionary<Guid, DateTimeOffset>();
        foreach (var video in await videos.OrderBy(v => v.UpdatedAt).ToListAsync(ct))
        {
            latest[video.Id] = video.UpdatedAt;
            yield return Item(VideoEndpoints.ToProgressEvent(video));
        }
        // With nothing in progress the stream could stay silent for hours; send the headers so clients see it open.
        await response.Body.FlushAsync(ct);

        while (await live.NextAsync() is { } change)
        {
            if (!scope.CanSee(change.CategoryId) || (latest.TryGetValue(change.Id, out var seen) && change.UpdatedAt < seen))
            {
                continue;
            }
            latest[change.Id] = change.UpdatedAt;
            yield return Item(change);
        }
    }

    private static bool IsFinished(VideoStatus status) => status is VideoStatus.Completed or VideoStatus.Failed;

    private static SseItem<ProgressEvent> Item(VideoProgressEvent change) =>
        new(new ProgressEvent(change.Id, change.Status.ToString(), change.Stage.ToString(), change.Progress, change.Error), EventType)
        {
            EventId = change.UpdatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture),
        };
}
