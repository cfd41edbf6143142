using System.Net;
using System.Text;
using Microsoft.Net.Http.Headers;
using Veeky.Web.Api;
using Veeky.Web.Sessions;

namespace Veeky.Web.Transcripts;

/// <summary><c>GET /videos/{id}/transcript.txt</c>: the video page's "Download transcript", the sentences the page shows
/// as the API returns them to this session (so the same visibility: a hidden video is a 404).</summary>
public static class TranscriptDownloadEndpoints
{
    public static IEndpointRouteBuilder MapTranscriptDownloadEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/videos/{id:guid}/transcript.txt", DownloadAsync)
            .RequireAuthorization(WebSession.SignedInPolicy)
            .ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> DownloadAsync(Guid id, HttpContext context, VeekyApiClient api, CancellationToken ct)
    {
        try
        {
            // One call after the other: both read the session from the same HttpContext, which is not thread-safe.
            var video = await api.FindVideoAsync(id, ct);
            if (video is null)
            {
                return TypedResults.NotFound();
            }
            var sentences = await api.FindSentencesAsync(id, ct);
            // The moments are needed only for a video indexed before timed words were kept (no sentences).
            var segments = sentences is { Count: > 0 } ? null : await api.GetSegmentsAsync(id, ct);
            var disposition = new ContentDispositionHeaderValue("attachment");
            disposition.SetHttpFileName(TranscriptText.FileName(video.Title));
            context.Response.Headers.ContentDisposition = disposition.ToString();
            return TypedResults.Text(TranscriptText.Write(video.Title, TranscriptText.Sentences(sentences, segments)), "text/plain; charset=utf-8", Encoding.UTF8);
        }
        catch (ApiException e)
        {
            return TypedResults.StatusCode(e.StatusCode == HttpStatusCode.Unauthorized ? StatusCodes.Status401Unauthorized : StatusCodes.Status502BadGateway);
        }
        catch (HttpRequestException)
        {
            return TypedResults.StatusCode(StatusCodes.Status502BadGateway);
        }
    }
}
