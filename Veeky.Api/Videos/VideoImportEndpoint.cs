using System.Net.Sockets;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Veeky.Api.Identity;
using Veeky.Api.Media;
using Veeky.Contracts;
using Veeky.Data;
using Veeky.Import;
using Veeky.Media;
using Veeky.Net;

namespace Veeky.Api.Videos;

/// <summary>
/// <c>POST /api/videos/import</c>: a video from a link. The answer comes at once, as for an upload; the file is fetched by
/// the first stage of the indexing job (with progress, the upload's size limit and probe, and the connect-time address
/// check), so a slow server never holds the request. The link is checked here too, for a clear 400 instead of a failed video.
/// </summary>
public static class VideoImportEndpoint
{
    /// <summary>Longer links are not links people paste (and do not fit the column).</summary>
    private const int MaxUrlLength = Limits.UrlLength;

    public static RouteHandlerBuilder MapVideoImport(this RouteGroupBuilder group) =>
        group.MapPost("/import", ImportAsync)
            .RequireAuthorization(ApiPolicies.Editor)
            .WithName("ImportVideo")
            .WithSummary("Imports a video from an http(s) link {url, title, categoryId, description, keywords}: queued at once, downloaded by the first indexing stage.");

    public static async Task<Results<Accepted<VideoSummary>, ValidationProblem>> ImportAsync(
        ImportVideoRequest request, VeekyDbContext db, CurrentUser currentUser, IMediaStore store, VideoIntake intake,
        MediaLinkSigner signer, IOptions<ImportOptions> options, CancellationToken ct)
    {
        var scope = await currentUser.GetScopeAsync(ct);
        var errors = new Dictionary<string, string[]>();
        await VideoMetadataRules.ValidateAsync(request.Title, request.Description, request.CategoryId, scope, db, errors, ct);
        var url = await CheckLinkAsync(request.Url, options.Value.AllowPrivateNetworks, ct);
        if (url.Error is { } problem)
        {
            errors["url"] = [problem];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var videoId = Guid.CreateVersion7();
        var video = await intake.AcceptLinkAsync(db, videoId, url.Uri!,
            new NewVideo(request.Title!, request.Description, request.Keywords ?? [], request.CategoryId!.Value, scope.UserId,
                FileNameOf(url.Uri!)), ct);
        return TypedResults.Accepted($"/api/videos/{videoId}", VideoSummary.From(video, signer, store));
    }

    /// <summary>The link, or the sentence saying why it cannot be imported.</summary>
    public static async Task<(Uri? Uri, string? Error)> CheckLinkAsync(string? text, bool allowPrivateNetworks, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxUrlLength || !Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri))
        {
            return (null, $"A link (an absolute http or https URL of at most {MaxUrlLength} characters) is required.");
        }
        if (!ImportAddressGuard.IsFetchableScheme(uri))
        {
            return (null, "Only http and https links can be imported.");
        }
        if (!allowPrivateNetworks)
        {
            try
            {
                if (await ImportAddressGuard.ResolvesToPrivateAsync(uri.IdnHost, ct))
                {
                    return (null, $"The link's host {uri.Host} is on a private network, which imports may not reach.");
                }
            }
            catch (SocketException)
            {
                return (null, $"The link's host {uri.Host} could not be found.");
            }
        }
        return (uri, null);
    }

    /// <summary>The last path segment of the link, kept for display like an upload's file name.</summary>
    private static string? FileNameOf(Uri uri) =>
        Uri.UnescapeDataString(uri.Segments.LastOrDefault() ?? "").Trim('/') is { Length: > 0 } name ? name : null;
}
