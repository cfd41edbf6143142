using System.ComponentModel;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;
using Veeky.Api.Identity;
using Veeky.Api.Media;
using Veeky.Api.Search;
using Veeky.Api.Videos;
using Veeky.Contracts;
using Veeky.Data;
using Veeky.Media;
using Veeky.Search;

namespace Veeky.Api.Mcp;

/// <summary>
/// The MCP tools over the library. Each one calls the handler of the matching HTTP endpoint, so the caller's
/// visibility (<see cref="CurrentUser"/>, <see cref="VideoVisibility"/>, the search index's scope), validation and
/// limits are exactly the API's: there is no second access rule to drift. The services each tool uses are its parameters
/// (the SDK binds them from the request's services and leaves them out of the tool's input schema).
/// </summary>
[McpServerToolType]
public sealed class LibraryTools
{
    [McpServerTool(Name = "search_moments", ReadOnly = true, Idempotent = true)]
    [Description("Finds moments in the videos you may see where the words were said or shown on screen (and, when an " +
        "embedding model is configured, moments that match by meaning). Best first, each with a link that opens the video there.")]
    public static async Task<IReadOnlyList<McpMoment>> SearchMomentsAsync(
        ISearchIndex search, CurrentUser currentUser, MediaLinkSigner signer, QueryEmbeddings embeddings, IOptions<ApiOptions> apiOptions,
        IOptions<SearchOptions> searchOptions,
        [Description("What to look for, in plain words.")] string query,
        [Description("How many moments to return, 1 to 100; 10 when left out.")] int? limit = null,
        [Description("Only moments of videos in this category (its id).")] Guid? categoryId = null,
        [Description("Only moments of this video (its id).")] Guid? videoId = null,
        CancellationToken cancellationToken = default)
    {
        var answer = await SearchEndpoints.SearchAsync(
            new SearchQuery(query, categoryId, videoId, Mode: null, limit, Offset: null, From: null, To: null),
            search, currentUser, signer, embeddings, searchOptions, cancellationToken);
        var found = McpAnswers.Value<SearchResults>(answer.Result);
        var options = apiOptions.Value;
        return found.Hits
            .Select(h => new McpMoment(h.VideoId, h.VideoTitle, h.Start, h.End, AskEndpoint.StripMarks(h.Snippet),
                McpAnswers.VideoLink(options, h.VideoId, h.Start)))
            .ToList();
    }

    [McpServerTool(Name = "get_transcript", ReadOnly = true, Idempotent = true)]
    [Description("The text of one video you may see, moment by moment: what was said and what was written on screen.")]
    public static async Task<McpTranscript> GetTranscriptAsync(
        VeekyDbContext db, CurrentUser currentUser, MediaLinkSigner signer, IMediaStore store, IOptions<ApiOptions> apiOptions,
        [Description("The video's id, as search_moments or list_videos give it.")] Guid videoId,
        CancellationToken cancellationToken = default)
    {
        var video = McpAnswers.Value<VideoSummary>((await VideoEndpoints.GetAsync(videoId, db, currentUser, signer, store,
            cancellationToken)).Result);
        var segments = McpAnswers.Value<List<VideoSegment>>(
            (await VideoEndpoints.GetSegmentsAsync(videoId, db, currentUser, signer, cancellationToken)).Result);
        var options = apiOptions.Value;
        return new McpTranscript(video.Id, video.Title, McpAnswers.VideoLink(options, video.Id),
            segments.Select(s => new McpTranscriptMoment(s.Start, s.End, s.Transcript, s.OcrText,
                McpAnswers.VideoLink(options, video.Id, s.Start))).ToList());
    }

    [McpServerTool(Name = "list_videos", ReadOnly = true, Idempotent = true)]
    [Description("The videos you may see, newest first, a page at a time.")]
    public static async Task<McpVideoPage> ListVideosAsync(
        VeekyDbContext db, CurrentUser currentUser, MediaLinkSigner signer, IMediaStore store, IOptions<ApiOptions> apiOptions,
        [Description("Only videos of this category (its id).")] Guid? categoryId = null,
        [Description("Only videos whose title or description contains each of these words.")] string? title = null,
        [Description("Page number, from 1.")] int? page = null,
        [Description("Videos per page, 1 to 100; 20 when left out.")] int? pageSize = null,
        CancellationToken cancellationToken = default)
    {
        var answer = await VideoEndpoints.ListAsync(new VideoListQuery(categoryId, Status: null, UploaderId: null, title, Sort: null, page, pageSize),
            db, currentUser, signer, store, cancellationToken);
        var videos = McpAnswers.Value<VideoPage>(answer.Result);
        var options = apiOptions.Value;
        return new McpVideoPage(
            videos.Items.Select(v => new McpVideo(v.Id, v.Title, v.Description, v.CategoryId, v.Status.ToString(), v.DurationSeconds,
                v.CreatedAt, McpAnswers.VideoLink(options, v.Id))).ToList(),
            videos.Total, videos.Page, videos.PageSize);
    }
}
