using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Veeky.Search;

/// <summary>
/// Search queries as spans of the <c>Veeky.Search</c> source (ServiceDefaults subscribes to <c>Veeky.*</c>): the mode
/// asked for and the one that ran, hits, total, time, which index answered, whether a category filter or a restricted
/// scope applied, and whether the Redis cache answered. The query text is never recorded (it may hold personal
/// data): only its length.
/// </summary>
public static class SearchTelemetry
{
    public const string SourceName = "Veeky.Search";

    public const string RequestedModeTag = "veeky.search.requested_mode";
    public const string ModeTag = "veeky.search.mode";
    public const string HitsTag = "veeky.search.hits";
    public const string TotalTag = "veeky.search.total";
    public const string TookMsTag = "veeky.search.took_ms";
    public const string IndexTag = "veeky.search.index";
    public const string CategoryFilterTag = "veeky.search.category_filter";
    public const string VideoFilterTag = "veeky.search.video_filter";
    public const string ScopeRestrictedTag = "veeky.search.scope_restricted";
    public const string QueryLengthTag = "veeky.search.query_length";
    public const string CacheHitTag = "veeky.search.cache_hit";

    internal static readonly ActivitySource Source = new(SourceName);

    private static readonly Meter Meter = new(SourceName);

    /// <summary>Search latency in seconds, tagged with the mode that ran and the index that answered.</summary>
    internal static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(
        "veeky.search.duration", unit: "s", description: "Time a search took to answer");
}

/// <summary>The span-recording decorator, outermost in <see cref="SearchIndexComposition"/>.</summary>
public sealed class TracingSearchIndex(ISearchIndex inner, string indexKind) : ISearchIndex
{
    /// <summary>The index (or cache) this one traces.</summary>
    public ISearchIndex Inner => inner;

    public Task InitializeAsync(CancellationToken ct = default) => inner.InitializeAsync(ct);

    public Task ReplaceVideoAsync(VideoDocument video, IReadOnlyList<SegmentDocument> segments, CancellationToken ct = default) =>
        inner.ReplaceVideoAsync(video, segments, ct);

    public Task UpdateVideoAsync(VideoDocument video, CancellationToken ct = default) => inner.UpdateVideoAsync(video, ct);

    public Task DeleteVideoAsync(Guid videoId, CancellationToken ct = default) => inner.DeleteVideoAsync(videoId, ct);

    public async Task<SearchResult> SearchAsync(SearchRequest request, CancellationToken ct = default)
    {
        using var activity = SearchTelemetry.Source.StartActivity("search");
        if (activity is null)
        {
            var untracedStart = Stopwatch.GetTimestamp();
            var untraced = await inner.SearchAsync(request, ct);
            RecordDuration(untracedStart, untraced.Mode);
            return untraced;
        }
        activity.SetTag(SearchTelemetry.RequestedModeTag, ModeName(request.Mode));
        activity.SetTag(SearchTelemetry.IndexTag, indexKind);
        activity.SetTag(SearchTelemetry.QueryLengthTag, request.Query.Length);
        activity.SetTag(SearchTelemetry.CategoryFilterTag, request.CategoryId is not null);
        activity.SetTag(SearchTelemetry.VideoFilterTag, request.VideoId is not null);
        activity.SetTag(SearchTelemetry.ScopeRestrictedTag, request.Scope.CategoryFilter is not null);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await inner.SearchAsync(request, ct);
            activity.SetTag(SearchTelemetry.ModeTag, ModeName(result.Mode));
            activity.SetTag(SearchTelemetry.HitsTag, result.Hits.Count);
            activity.SetTag(SearchTelemetry.TotalTag, result.Total);
            RecordDuration(started, result.Mode);
            return result;
        }
        catch (Exception ex)
        {
            activity.SetStatus(ActivityStatusCode.Error, ex.Message);
            activity.SetTag("error.type", ex is OperationCanceledException ? "cancelled" : ex.GetType().FullName);
            throw;
        }
        finally
        {
            activity.SetTag(SearchTelemetry.TookMsTag, Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 2));
        }
    }

    public Task<bool> PingAsync(CancellationToken ct = default) => inner.PingAsync(ct);

    private void RecordDuration(long started, SearchMode mode) =>
        SearchTelemetry.Duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
            new KeyValuePair<string, object?>(SearchTelemetry.ModeTag, ModeName(mode)),
            new KeyValuePair<string, object?>(SearchTelemetry.IndexTag, indexKind));

    private static string ModeName(SearchMode mode) => mode.ToString().ToLowerInvariant();
}
