using System.Text.Json.Nodes;

namespace Veeky.Search.OpenSearch;

/// <summary>
/// Builds the <c>_search</c> bodies. The access filter (and the caller's category, video and date filters) is one
/// <c>bool.filter</c> that goes into every leg: around the BM25 <c>multi_match</c>, and inside each <c>knn</c> clause, where
/// the Lucene engine applies it while it walks the graph. A k-NN leg filtered only afterwards would drop permitted
/// moments behind closer hidden ones, and one not filtered at all would leak moments that match only by meaning.
/// </summary>
public static class OpenSearchQuery
{
    /// <summary>
    /// Words of a query that are searched. Longer queries are cut: every word costs a clause per field, and OpenSearch
    /// refuses a query of more than 1,024 clauses instead of answering it.
    /// </summary>
    public const int MaxWords = 32;

    /// <summary>Marker OpenSearch puts before a highlighted match; turned into &lt;mark&gt; after escaping.</summary>
    public static readonly string PreTag = SnippetMarkup.Open.ToString();

    /// <summary>Marker after a highlighted match.</summary>
    public static readonly string PostTag = SnippetMarkup.Close.ToString();

    /// <summary>The filter clauses for this request, empty for an administrator searching everything.</summary>
    public static JsonArray Filters(SearchRequest request)
    {
        var filters = new JsonArray();
        if (request.Scope.CategoryFilter is { } visible)
        {
            filters.Add(new JsonObject
            {
                ["terms"] = new JsonObject { ["categoryId"] = new JsonArray([.. visible.Order().Select(c => JsonValue.Create(c.ToString()))]) },
            });
        }
        if (request.CategoryId is { } category)
        {
            filters.Add(Term("categoryId", category));
        }
        if (request.VideoId is { } video)
        {
            filters.Add(Term("videoId", video));
        }
        if (request.HasDateFilter)
        {
            var range = new JsonObject();
            if (request.CreatedFrom is { } from)
            {
                range["gte"] = Instant(from);
            }
            if (request.CreatedTo is { } to)
            {
                range["lte"] = Instant(to);
            }
            filters.Add(new JsonObject { ["range"] = new JsonObject { [OpenSearchSchema.CreatedAt] = range } });
        }
        return filters;
    }

    /// <summary>An instant as OpenSearch's default date format reads it: UTC, ISO 8601.</summary>
    public static string Instant(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Query text as searched: marker characters removed and at most <see cref="MaxWords"/> words. Null when nothing
    /// searchable is left.
    /// </summary>
    public static string? CleanQuery(string query)
    {
        var words = SnippetMarkup.Clean(query)
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Where(w => w.Any(char.IsLetterOrDigit))
            .Take(MaxWords)
            .ToList();
        return words.Count == 0 ? null : string.Join(' ', words);
    }

    /// <summary>
    /// BM25 over the boosted fields. While the user is still typing the last word (no trailing space) it matches as a
    /// prefix (<c>bool_prefix</c>, scored as <c>most_fields</c>); a finished query is <c>most_fields</c>, so a word found
    /// in the title and the transcript counts twice. Any word may match; more matching words rank higher.
    /// </summary>
    public static JsonObject MultiMatch(string cleanQuery, bool lastWordFinished) => new()
    {
        ["multi_match"] = new JsonObject
        {
            ["query"] = cleanQuery,
            ["type"] = lastWordFinished ? "most_fields" : "bool_prefix",
            ["fields"] = new JsonArray([.. OpenSearchSchema.TextFields.Select(f => JsonValue.Create(f.Boost == 1 ? f.Field : $"{f.Field}^{f.Boost}"))]),
        },
    };

    /// <summary>
    /// The filter of <see cref="TextMatches.OwnWords"/> (and, negated, of <see cref="TextMatches.VideoRows"/>): at least one of the query's words (the last as a prefix
    /// while it is typed, as <see cref="MultiMatch"/> matches it) in the moment's own text, its transcript, on-screen
    /// text or caption. A filter, so the ranking stays that of <see cref="MultiMatch"/>.
    /// </summary>
    public static JsonObject OwnWords(string cleanQuery, bool lastWordFinished) => new()
    {
        ["multi_match"] = new JsonObject
        {
            ["query"] = cleanQuery,
            ["type"] = lastWordFinished ? "best_fields" : "bool_prefix",
            ["operator"] = "or",
            ["fields"] = new JsonArray([.. OpenSearchSchema.TextFields.Where(f => !SearchFields.IsVideoLevel(f.ApiField))
                .Select(f => JsonValue.Create(f.Field))]),
        },
    };

    /// <summary>The BM25 leg: the multi_match scored, the filters not.</summary>
    public static JsonObject TextLeg(JsonObject multiMatch, JsonArray filters) => new()
    {
        ["bool"] = new JsonObject
        {
            ["must"] = new JsonArray(multiMatch),
            ["filter"] = filters.DeepClone(),
        },
    };

    /// <summary>A k-NN leg with the filter inside the knn clause (efficient filtering), k candidates.</summary>
    public static JsonObject KnnLeg(string field, float[] vector, int k, JsonArray filters)
    {
        var clause = new JsonObject
        {
            ["vector"] = new JsonArray([.. vector.Select(v => JsonValue.Create(v))]),
            ["k"] = k,
        };
        if (filters.Count > 0)
        {
            clause["filter"] = new JsonObject { ["bool"] = new JsonObject { ["filter"] = filters.DeepClone() } };
        }
        return new JsonObject { ["knn"] = new JsonObject { [field] = clause } };
    }

    /// <summary>
    /// Highlighting of the BM25 leg only (<c>highlight_query</c>), so a hybrid hit's marks are its word matches, with
    /// marker characters as tags: the text is escaped by <see cref="SnippetMarkup.ToHtml"/> afterwards, exactly as the
    /// SQLite index escapes it (OpenSearch's html encoder writes <c>&amp;#x27;</c> and numeric entities for non-ASCII).
    /// </summary>
    public static JsonObject Highlight(JsonObject multiMatch)
    {
        var fields = new JsonObject();
        foreach (var (field, _, _) in OpenSearchSchema.TextFields)
        {
            fields[field] = new JsonObject();
        }
        return new JsonObject
        {
            ["pre_tags"] = new JsonArray(PreTag),
            ["post_tags"] = new JsonArray(PostTag),
            ["fragment_size"] = 200,
            ["number_of_fragments"] = 1,
            ["highlight_query"] = multiMatch.DeepClone(),
            ["fields"] = fields,
        };
    }

    /// <summary>The common frame of a search: paging, exact total, source without the vectors.</summary>
    public static JsonObject Body(JsonObject query, SearchRequest request, JsonObject? highlight)
    {
        var body = new JsonObject
        {
            ["from"] = request.Offset,
            ["size"] = request.Limit,
            ["track_total_hits"] = true,
            ["_source"] = new JsonObject { ["excludes"] = new JsonArray(OpenSearchSchema.TextEmbedding, OpenSearchSchema.ImageEmbedding) },
            ["query"] = query,
        };
        if (highlight is not null)
        {
            body["highlight"] = highlight;
        }
        return body;
    }

    /// <summary>Name of the inner hit holding a collapsed video's earliest moment.</summary>
    public const string EarliestMoment = "earliest";

    /// <summary>Name of the aggregation counting a collapsed search's videos.</summary>
    public const string VideoCount = "videos";

    /// <summary>
    /// Turns a text search's body into one of <see cref="TextMatches.VideoRows"/>: <c>collapse</c> on the video keeps each
    /// video's best moment (its score ranks the video, pages by <c>from</c>/<c>size</c> over videos), its inner hit is the
    /// video's earliest matching moment (what the row shows, highlighted), and a <c>cardinality</c> aggregation counts the
    /// videos (hits.total counts moments): exact up to 40,000 videos, OpenSearch's highest precision threshold, close beyond.
    /// </summary>
    public static void CollapseToVideos(JsonObject body)
    {
        body["track_total_hits"] = false;
        body["aggs"] = new JsonObject
        {
            [VideoCount] = new JsonObject { ["cardinality"] = new JsonObject { ["field"] = "videoId", ["precision_threshold"] = 40000 } },
        };
        var innerHit = new JsonObject
        {
            ["name"] = EarliestMoment,
            ["size"] = 1,
            ["sort"] = new JsonArray(new JsonObject { ["segmentIndex"] = "asc" }),
            ["_source"] = body["_source"]!.DeepClone(),
        };
        if (body["highlight"] is JsonObject highlight)
        {
            body.Remove("highlight");
            innerHit["highlight"] = highlight;
        }
        body["collapse"] = new JsonObject { ["field"] = "videoId", ["inner_hits"] = innerHit };
        // Only the inner hit's text is read; the collapsed hit itself is its score.
        body["_source"] = false;
    }

    /// <summary>A hybrid query over the legs; <c>pagination_depth</c> is required from OpenSearch 2.19 when <c>from</c> &gt; 0.</summary>
    public static JsonObject Hybrid(IEnumerable<JsonObject> legs, int paginationDepth, bool paged)
    {
        var hybrid = new JsonObject { ["queries"] = new JsonArray([.. legs]) };
        if (paged)
        {
            hybrid["pagination_depth"] = paginationDepth;
        }
        return new JsonObject { ["hybrid"] = hybrid };
    }

    private static JsonObject Term(string field, Guid value) =>
        new() { ["term"] = new JsonObject { [field] = value.ToString() } };
}
