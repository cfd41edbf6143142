using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Veeky.Api.Identity;
using Veeky.Captions;
using Veeky.Contracts;
using Veeky.Data;
using Veeky.Speech;

namespace Veeky.Api.Videos;

/// <summary><c>GET /api/videos/{id}/sentences</c>: the transcript as sentences with their times, built from the stored
/// timed words, so a transcript view reads as it was said rather than cut at scene changes.</summary>
public static class VideoSentencesEndpoint
{
    public static RouteHandlerBuilder MapVideoSentences(this RouteGroupBuilder group) =>
        group.MapGet("/{id:guid}/sentences", ListAsync)
            .WithName("ListSentences")
            .WithSummary("The transcript as sentences in time order (empty before speech is transcribed).");

    public static async Task<Results<Ok<IReadOnlyList<TranscriptSentence>>, NotFound>> ListAsync(
        Guid id, VeekyDbContext db, CurrentUser currentUser, CancellationToken ct)
    {
        var scope = await currentUser.GetScopeAsync(ct);
        var video = await db.Videos.AsNoTracking().VisibleTo(scope).Where(v => v.Id == id)
            .Select(v => new { v.TranscriptJson }).FirstOrDefaultAsync(ct);
        return video is null
            ? TypedResults.NotFound()
            : TypedResults.Ok(TranscriptSentenceBuilder.Build(TranscriptJson.Deserialize(video.TranscriptJson)));
    }
}
