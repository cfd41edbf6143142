using Veeky.Identity;
using Veeky.Videos;

namespace Veeky.Search;

/// <summary>
/// The search index: one document per video and one per segment. Access control is part of every query
/// (<see cref="SearchRequest.Scope"/>), never a filter applied to results afterwards.
/// </summary>
public interface ISearchIndex
{
    /// <summary>Creates the index structures if they do not exist (idempotent).</summary>
    Task InitializeAsync(CancellationToken ct = default);

    /// <summary>Replaces everything indexed for the video with these documents as one step: searches see either the
    /// old generation or the new one, never a mix.</summary>
    Task ReplaceVideoAsync(VideoDocument video, IReadOnlyList<SegmentDocument> segments, CancellationToken ct = default);

    /// <summary>Updates the video-level fields (title, description, keywords, category) copied into its segments.</summary>
    Task UpdateVideoAsync(VideoDocument video, CancellationToken ct = default);

    Task DeleteVideoAsync(Guid videoId, CancellationToken ct = default);

    Task<SearchResult> SearchAsync(SearchRequest request, CancellationToken ct = default);

    /// <summary>Whether the reachable index answers (for /health).</summary>
    Task<bool> PingAsync(CancellationToken ct = default);
}

/// <summary>The parent document of a video.</summary>
public sealed record VideoDocument(
    Guid VideoId,
    Guid CategoryId,
    string Title,
    string? Description,
    IReadOnlyList<string> Keywords,
    string? Summary,
    DateTimeOffset CreatedAt)
{
    /// <summary>The video's document as every writer makes it: the Index stage, a metadata edit, a rebuild.</summary>
    public static VideoDocument From(Video video) =>
        new(video.Id, video.CategoryId, video.Title, video.Description, video.Keywords, video.Summary, video.CreatedAt);
}

/// <summary>One segment as indexed: its own text plus the video fields it is filtered and ranked on.</summary>
public sealed record SegmentDocument(
    Guid VideoId,
    int SegmentIndex,
    double Start,
    double End,
    string? Transcript,
    string? OcrText,
    string? Caption,
    IReadOnlyList<string> Keywords,
    float[]? TextEmbedding = null,
    float[]? ImageEmbedding = null)
{
    /// <summary>The segment's document with the vectors the caller decided to index (a rebuild leaves out stale ones).</summary>
    public static SegmentDocument From(Segment segment, float[]? textEmbedding, float[]? imageEmbedding) =>
        new(segment.VideoId, segment.Index, segment.Start, segment.End, segment.Transcript, segment.OcrText, segment.Caption,
            segment.Keywords, textEmbedding, imageEmbedding);
}

public enum SearchMode { Hybrid, Text, Semantic }

/// <summary>A search under one caller's access scope.</summary>
public sealed record SearchRequest(
    string Query,
    AccessScope Scope,
    SearchMode Mode = SearchMode.Hybrid,
    Guid? CategoryId = null,
    Guid? VideoId = null,
    int Limit = 10,
    int Offset = 0,
    /// <summary>Embedding of the query text from the text embedding model; null when there is none.</summary>
    float[]? QueryEmbedding = null,
    /// <summary>Embedding of the query text from an image-text model, compared with keyframe embeddings.</summary>
    float[]? QueryImageEmbedding = null,
    /// <summary>Only videos created at or after this instant (inclusive); null for no lower bound.</summary>
    DateTimeOffset? CreatedFrom = null,
    /// <summary>Only videos created at or before this instant (inclusive); null for no upper bound.</summary>
    DateTimeOffset? CreatedTo = null,
    /// <summary>Which of the moments the words find a text search returns (<see cref="TextMatches"/>); all by default.</summary>
    TextMatches Matches = TextMatches.All)
{
    /// <summary>Whether the request narrows the videos by their creation time.</summary>
    public bool HasDateFilter => CreatedFrom is not null || CreatedTo is not null;

    /// <summary>Throws for <see cref="TextMatches.VideoRows"/> in a hybrid or semantic search: a caller's mistake, since
    /// moments found by meaning have no "own words" to tell them apart by.</summary>
    public void RefuseVideoRowsOutsideTextSearch()
    {
        if (Matches == TextMatches.VideoRows && Mode != SearchMode.Text)
        {
            throw new ArgumentException($"{nameof(TextMatches.VideoRows)} is for text search only, not {Mode}.", nameof(Matches));
        }
    }
}

/// <summary>
/// Which moments a search's words may return. Every moment of a video carries its video's title, description and keywords,
/// so the words find two kinds: moments whose own text says them, and moments found only through their video.
/// <see cref="MomentRanking"/> asks for each kind apart so that both page exactly, whatever the library holds.
/// </summary>
public enum TextMatches
{
    /// <summary>Every moment the words find, each its own hit.</summary>
    All,

    /// <summary>
    /// Only moments whose own text (transcript, on-screen text, caption) holds at least one query word, among those the
    /// words find anyway: a filter, the ranking is unchanged.
    /// </summary>
    OwnWords,

    /// <summary>
    /// Only moments none of whose own text holds a query word (found through their video alone), collapsed to one hit per
    /// video inside the engine: the video's earliest such moment with the best score among them, best video first; the
    /// total counts videos. Text search only (an engine refuses it in another mode).
    /// </summary>
    VideoRows,
}

/// <summary>Hits, best first. <see cref="Mode"/> is the mode actually used (hybrid falls back to text without vectors).</summary>
public sealed record SearchResult(SearchMode Mode, int Total, IReadOnlyList<SearchHit> Hits);

/// <summary>One moment found. <see cref="Snippet"/> is HTML-escaped text with matches wrapped in <c>&lt;mark&gt;</c>.</summary>
public sealed record SearchHit(
    Guid VideoId,
    string VideoTitle,
    Guid CategoryId,
    int SegmentIndex,
    double Start,
    double End,
    double Score,
    string Snippet,
    IReadOnlyList<string> MatchedFields)
{
    /// <summary>
    /// Whether the words matched only through the video (its title, description or keywords) and none of the moment's own
    /// text (transcript, on-screen text, caption): every moment of that video matches alike. A moment found by meaning
    /// alone (no field matched) is found for its own content, so it is not one.
    /// </summary>
    public bool MatchedOnlyThroughItsVideo => MatchedFields.Count > 0 && MatchedFields.All(SearchFields.IsVideoLevel);
}

/// <summary>Field names used in <see cref="SearchHit.MatchedFields"/>, as API.md names them.</summary>
public static class SearchFields
{
    public const string Title = "title";
    public const string Description = "description";
    public const string Keywords = "keywords";
    public const string Transcript = "transcript";
    public const string Ocr = "ocr";
    public const string Caption = "caption";

    /// <summary>Whether <paramref name="field"/> is the video's (the same for all its moments) rather than the moment's own.</summary>
    public static bool IsVideoLevel(string field) => field is Title or Description or Keywords;
}
