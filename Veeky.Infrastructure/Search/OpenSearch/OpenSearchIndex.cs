using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Veeky.Search.OpenSearch;

/// <summary>
/// The search index of the distributed edition: OpenSearch over its REST API. One document per video in
/// <c>{prefix}videos</c> and one flat document per segment in <c>{prefix}segments</c> carrying the video fields it is
/// filtered and ranked on. A replace writes a new generation of segment documents, then deletes the older ones.
/// </summary>
public sealed class OpenSearchIndex : ISearchIndex, IRebuildableSearchIndex
{
    private readonly OpenSearchTransport _transport;
    private readonly OpenSearchOptions _options;
    private readonly SearchOptions _search;
    private readonly ILogger<OpenSearchIndex> _logger;

    /// <summary>Dimension of each vector field as mapped on the cluster; a field not in here is not mapped yet.</summary>
    private readonly ConcurrentDictionary<string, int> _dimensions = new(StringComparer.Ordinal);

    private long _lastGeneration;

    /// <summary>When the mapping was last read for a vector field not known yet (ticks of <see cref="Environment.TickCount64"/>).</summary>
    private long _mappingReadAt = long.MinValue;

    /// <summary>
    /// How often a search may read the mapping to learn of vector fields another process mapped (the API starts on an
    /// empty index; an indexer replica maps the fields with the first vectors). Rare enough to cost nothing.
    /// </summary>
    private static readonly TimeSpan MappingRereadInterval = TimeSpan.FromSeconds(10);

    public OpenSearchIndex(OpenSearchTransport transport, IOptions<OpenSearchOptions> options, IOptions<SearchOptions> search,
        ILogger<OpenSearchIndex> logger)
    {
        _transport = transport;
        _options = options.Value;
        _search = search.Value;
        _logger = logger;
        Schema = new OpenSearchSchema(_options.IndexPrefix);
    }

    public OpenSearchSchema Schema { get; }

    public async Task InitializeAsync(CancellationToken ct = default)
    {
        await EnsureTemplateAsync(Schema.VideosTemplate, Schema.VideosTemplateBody(), ct);
        await EnsureTemplateAsync(Schema.SegmentsTemplate, Schema.SegmentsTemplateBody(), ct);
        await EnsureIndexAsync(Schema.VideosIndex, ct);
        var segmentsExisted = !await EnsureIndexAsync(Schema.SegmentsIndex, ct);
        // Pipelines are written every start (PUT replaces): they hold the weights, which are configuration.
        foreach (var legs in OpenSearchSchema.LegCombinations)
        {
            (await _transport.SendAsync(HttpMethod.Put, $"/_search/pipeline/{Schema.PipelineName(legs)}",
                OpenSearchSchema.PipelineBody(legs, _search), ct)).EnsureSuccess("creating a search pipeline");
        }
        var properties = await LoadVectorMappingsAsync(ct);
        if (segmentsExisted && properties?[OpenSearchSchema.CreatedAt] is null)
        {
            // A segments index from before the date filter: add the field (adding one is allowed on a live index).
            // Its segments carry no date until they are reindexed, so a date filter leaves them out until then.
            (await _transport.SendAsync(HttpMethod.Put, $"/{Schema.SegmentsIndex}/_mapping", OpenSearchSchema.CreatedAtMappingBody(), ct))
                .EnsureSuccess("adding the createdAt mapping");
        }
        if (_options.TextDimensions is { } text)
        {
            await EnsureVectorFieldAsync(OpenSearchSchema.TextEmbedding, text, ct);
        }
        if (_options.ImageDimensions is { } image)
        {
            await EnsureVectorFieldAsync(OpenSearchSchema.ImageEmbedding, image, ct);
        }
    }

    public async Task ReplaceVideoAsync(VideoDocument video, IReadOnlyList<SegmentDocument> segments, CancellationToken ct = default)
    {
        if (segments.Any(s => s.VideoId != video.VideoId))
        {
            throw new ArgumentException("Every segment must belong to the video being replaced.", nameof(segments));
        }
        await EnsureVectorFieldAsync(OpenSearchSchema.TextEmbedding, Dimension(segments, s => s.TextEmbedding), ct);
        await EnsureVectorFieldAsync(OpenSearchSchema.ImageEmbedding, Dimension(segments, s => s.ImageEmbedding), ct);

        var generation = NextGeneration();
        if (segments.Count > 0)
        {
            var operations = segments.Select(s => (Action: IndexAction(Schema.SegmentsIndex, SegmentId(video.VideoId, generation, s.SegmentIndex)),
                Document: (JsonNode?)SegmentBody(video, s, generation)));
            List<string> failures;
            try
            {
                failures = await BulkAsync(operations, ct);
            }
            catch (OpenSearchException)
            {
                await DiscardGenerationAsync(video.VideoId, generation, ct);
                throw;
            }
            if (failures.Count > 0)
            {
                await DiscardGenerationAsync(video.VideoId, generation, ct);
                throw new OpenSearchException(
                    $"OpenSearch refused {failures.Count} of {segments.Count} segment documents of video {video.VideoId}: {string.Join("; ", failures.Take(3))}");
            }
        }
        (await _transport.SendAsync(HttpMethod.Put, $"/{Schema.VideosIndex}/_doc/{video.VideoId}?refresh=wait_for",
            VideoBody(video, generation), ct)).EnsureSuccess("indexing a video");
        await DeleteByQueryAsync(Schema.SegmentsIndex, GenerationQuery(video.VideoId,
            new JsonObject { ["range"] = new JsonObject { ["generation"] = new JsonObject { ["lt"] = generation } } }), ct);
    }

    /// <summary>
    /// Removes what got in of a generation whose write failed; the older generation stays searchable, so no search sees
    /// a mix. Best effort: if this fails too, the next replace of the video deletes it with every older generation.
    /// </summary>
    private async Task DiscardGenerationAsync(Guid videoId, long generation, CancellationToken ct)
    {
        try
        {
            await DeleteByQueryAsync(Schema.SegmentsIndex,
                GenerationQuery(videoId, new JsonObject { ["term"] = new JsonObject { ["generation"] = generation } }), ct);
        }
        catch (OpenSearchException e)
        {
            _logger.LogWarning("Could not remove the failed generation {Generation} of video {VideoId}: {Error}", generation, videoId, e.Message);
        }
    }

    public async Task UpdateVideoAsync(VideoDocument video, CancellationToken ct = default)
    {
        var doc = VideoBody(video, generation: null);
        (await _transport.SendAsync(HttpMethod.Post, $"/{Schema.VideosIndex}/_update/{video.VideoId}?refresh=wait_for",
            new JsonObject { ["doc"] = doc, ["doc_as_upsert"] = true }, ct)).EnsureSuccess("updating a video");

        var body = new JsonObject
        {
            ["query"] = VideoQuery(video.VideoId),
            ["script"] = new JsonObject
            {
                ["lang"] = "painless",
                // Values travel as params, never spliced into the script: the script compiles once and text stays text.
                ["source"] = "ctx._source.categoryId = params.categoryId; ctx._source.title = params.title; "
                    + "ctx._source.description = params.description; ctx._source.keywords = params.keywords;",
                ["params"] = new JsonObject
                {
                    ["categoryId"] = video.CategoryId.ToString(),
                    ["title"] = Text(video.Title),
                    ["description"] = Text(video.Description),
                    ["keywords"] = Words(video.Keywords),
                },
            },
        };
        await ByQueryAsync("_update_by_query", Schema.SegmentsIndex, body, ct);
    }

    public async Task DeleteVideoAsync(Guid videoId, CancellationToken ct = default)
    {
        var deleted = await _transport.SendAsync(HttpMethod.Delete, $"/{Schema.VideosIndex}/_doc/{videoId}?refresh=wait_for", null, ct);
        if (deleted.Status != 404)
        {
            deleted.EnsureSuccess("deleting a video");
        }
        await DeleteByQueryAsync(Schema.SegmentsIndex, new JsonObject { ["query"] = VideoQuery(videoId) }, ct);
    }

    public async Task<SearchResult> SearchAsync(SearchRequest request, CancellationToken ct = default)
    {
        request.RefuseVideoRowsOutsideTextSearch();
        var mode = request.Mode;
        var visible = request.Scope.CategoryFilter;
        var query = OpenSearchQuery.CleanQuery(request.Query);
        // A semantic search compares vectors only, so it needs no words: a picture or a moment is the query then.
        var byVectorsAlone = mode == SearchMode.Semantic && (request.QueryEmbedding is not null || request.QueryImageEmbedding is not null);
        if (query is null && !byVectorsAlone || visible is { Count: 0 } || request.CategoryId is { } asked && visible is not null && !visible.Contains(asked))
        {
            return Empty(mode == SearchMode.Hybrid && request.QueryEmbedding is null && request.QueryImageEmbedding is null ? SearchMode.Text : mode);
        }

        var filters = OpenSearchQuery.Filters(request);
        var k = Math.Max(_search.CandidateCount, request.Offset + request.Limit);
        var lastWordFinished = request.Query.Length > 0 && char.IsWhiteSpace(request.Query[^1]);
        var multiMatch = query is null ? null : OpenSearchQuery.MultiMatch(query, lastWordFinished);
        var legs = new List<(HybridLeg Leg, JsonObject Query)>();
        if (mode != SearchMode.Semantic && multiMatch is not null)
        {
            // Own words narrow the word leg only: a moment found by meaning is found for its own content anyway.
            var textFilters = filters;
            if (request.Matches == TextMatches.OwnWords)
            {
                textFilters = filters.DeepClone().AsArray();
                textFilters.Add(OpenSearchQuery.OwnWords(query!, lastWordFinished));
            }
            var textLeg = OpenSearchQuery.TextLeg(multiMatch, textFilters);
            if (request.Matches == TextMatches.VideoRows)
            {
                textLeg["bool"]!["must_not"] = new JsonArray(OpenSearchQuery.OwnWords(query!, lastWordFinished));
            }
            legs.Add((HybridLeg.Text, textLeg));
        }
        if (mode != SearchMode.Text)
        {
            await RefreshUnknownDimensionsAsync(request, ct);
            if (VectorLeg(OpenSearchSchema.TextEmbedding, request.QueryEmbedding, k, filters) is { } semantic)
            {
                legs.Add((HybridLeg.Semantic, semantic));
            }
            if (VectorLeg(OpenSearchSchema.ImageEmbedding, request.QueryImageEmbedding, k, filters) is { } image)
            {
                legs.Add((HybridLeg.Image, image));
            }
        }
        var hasText = legs.Any(l => l.Leg == HybridLeg.Text);
        var used = legs.Count switch
        {
            0 => SearchMode.Semantic,
            1 when hasText => SearchMode.Text,
            _ => hasText ? SearchMode.Hybrid : SearchMode.Semantic,
        };
        if (legs.Count == 0)
        {
            return Empty(used);
        }

        var path = $"/{Schema.SegmentsIndex}/_search";
        JsonObject root;
        if (legs.Count == 1)
        {
            root = legs[0].Query;
        }
        else
        {
            root = OpenSearchQuery.Hybrid(legs.Select(l => l.Query), k, paged: request.Offset > 0);
            path += $"?search_pipeline={Schema.PipelineName([.. legs.Select(l => l.Leg)])}";
        }
        var body = OpenSearchQuery.Body(root, request, hasText && multiMatch is not null ? OpenSearchQuery.Highlight(multiMatch) : null);
        var videoRows = request.Matches == TextMatches.VideoRows;
        if (videoRows)
        {
            OpenSearchQuery.CollapseToVideos(body);
        }

        var answer = await _transport.SendAsync(HttpMethod.Post, path, body, ct);
        if (answer.Status == 404 && answer.ErrorType == "index_not_found_exception")
        {
            _logger.LogWarning("Search index {Index} does not exist yet; answering no hits", Schema.SegmentsIndex);
            return Empty(used);
        }
        answer.EnsureSuccess("searching");
        return ReadHits(answer.Body!, used, videoRows);
    }

    public async Task<bool> PingAsync(CancellationToken ct = default)
    {
        try
        {
            var health = await _transport.SendAsync(HttpMethod.Get, "/_cluster/health", null, ct);
            return health.IsSuccess && (string?)health.Body?["status"] is { } status && status != "red";
        }
        catch (OpenSearchException e)
        {
            _logger.LogWarning("OpenSearch health check failed: {Error}", e.Message);
            return false;
        }
    }

    /// <summary>
    /// Rebuilds the index from the source of truth: every video given is replaced (a new generation each), then whatever
    /// was indexed before the rebuild began and not rewritten (videos since deleted from the database) is deleted.
    /// Searches keep answering throughout. Returns the number of videos indexed.
    /// </summary>
    public async Task<int> RebuildAsync(IAsyncEnumerable<(VideoDocument Video, IReadOnlyList<SegmentDocument> Segments)> videos,
        CancellationToken ct = default)
    {
        await InitializeAsync(ct);
        var startedAt = NextGeneration();
        var count = 0;
        await foreach (var (video, segments) in videos.WithCancellation(ct))
        {
            await ReplaceVideoAsync(video, segments, ct);
            count++;
        }
        var stale = new JsonObject
        {
            ["query"] = new JsonObject
            {
                ["bool"] = new JsonObject
                {
                    ["should"] = new JsonArray(
                        new JsonObject { ["range"] = new JsonObject { ["generation"] = new JsonObject { ["lt"] = startedAt } } },
                        new JsonObject { ["bool"] = new JsonObject { ["must_not"] = new JsonArray(new JsonObject { ["exists"] = new JsonObject { ["field"] = "generation" } }) } }),
                    ["minimum_should_match"] = 1,
                },
            },
        };
        await DeleteByQueryAsync(Schema.SegmentsIndex, stale, ct);
        await DeleteByQueryAsync(Schema.VideosIndex, (JsonObject)stale.DeepClone(), ct);
        _logger.LogInformation("Rebuilt the OpenSearch index from {Count} videos", count);
        return count;
    }

    private async Task EnsureTemplateAsync(string name, JsonObject body, CancellationToken ct)
    {
        var existing = await _transport.SendAsync(HttpMethod.Get, $"/_index_template/{name}", null, ct);
        if (existing.IsSuccess)
        {
            return;
        }
        if (existing.Status != 404)
        {
            existing.EnsureSuccess("reading an index template");
        }
        (await _transport.SendAsync(HttpMethod.Put, $"/_index_template/{name}", body, ct)).EnsureSuccess("creating an index template");
    }

    /// <summary>Creates the index from its template if it is missing; true when this call created it.</summary>
    private async Task<bool> EnsureIndexAsync(string index, CancellationToken ct)
    {
        var existing = await _transport.SendAsync(HttpMethod.Head, $"/{index}", null, ct);
        if (existing.IsSuccess)
        {
            return false;
        }
        var created = await _transport.SendAsync(HttpMethod.Put, $"/{index}", null, ct);
        // Another replica may have created it between the two requests.
        if (created.Status == 400 && created.ErrorType == "resource_already_exists_exception")
        {
            return false;
        }
        created.EnsureSuccess("creating an index");
        return true;
    }

    private async Task RefreshUnknownDimensionsAsync(SearchRequest request, CancellationToken ct)
    {
        var unknown = request.QueryEmbedding is not null && !_dimensions.ContainsKey(OpenSearchSchema.TextEmbedding)
            || request.QueryImageEmbedding is not null && !_dimensions.ContainsKey(OpenSearchSchema.ImageEmbedding);
        var last = Interlocked.Read(ref _mappingReadAt);
        var now = Environment.TickCount64;
        if (!unknown || last != long.MinValue && now - last < (long)MappingRereadInterval.TotalMilliseconds
            || Interlocked.CompareExchange(ref _mappingReadAt, now, last) != last)
        {
            return;
        }
        try
        {
            await LoadVectorMappingsAsync(ct);
        }
        catch (OpenSearchException e)
        {
            // The search goes on with the legs it has; the index may simply not exist yet.
            _logger.LogDebug("Could not read the segments mapping: {Error}", e.Message);
        }
    }

    /// <summary>Reads the segments mapping, remembers the vector dimensions and answers the mapped properties.</summary>
    private async Task<JsonNode?> LoadVectorMappingsAsync(CancellationToken ct)
    {
        var mapping = (await _transport.SendAsync(HttpMethod.Get, $"/{Schema.SegmentsIndex}/_mapping", null, ct)).EnsureSuccess("reading the segments mapping");
        var properties = mapping.Body?[Schema.SegmentsIndex]?["mappings"]?["properties"];
        foreach (var field in new[] { OpenSearchSchema.TextEmbedding, OpenSearchSchema.ImageEmbedding })
        {
            if (properties?[field]?["dimension"] is JsonValue dimension)
            {
                _dimensions[field] = dimension.GetValue<int>();
            }
        }
        return properties;
    }

    /// <summary>Maps the vector field at this dimension the first time one is seen; refuses a different dimension later.</summary>
    private async Task EnsureVectorFieldAsync(string field, int? dimension, CancellationToken ct)
    {
        if (dimension is not { } wanted)
        {
            return;
        }
        if (!_dimensions.ContainsKey(field))
        {
            var added = await _transport.SendAsync(HttpMethod.Put, $"/{Schema.SegmentsIndex}/_mapping",
                OpenSearchSchema.VectorMappingBody(field, wanted), ct);
            if (added.IsSuccess)
            {
                _dimensions[field] = wanted;
            }
            else
            {
                // Mapped meanwhile (by another replica, perhaps at another dimension): learn what is there.
                await LoadVectorMappingsAsync(ct);
                if (!_dimensions.ContainsKey(field))
                {
                    added.EnsureSuccess("mapping a vector field");
                }
            }
        }
        if (_dimensions[field] != wanted)
        {
            throw new ArgumentException(
                $"The {field} field holds {_dimensions[field]}-dimensional vectors, these have {wanted}. Reindex everything (rebuild the search index) after changing the embedding model.");
        }
    }

    private static int? Dimension(IReadOnlyList<SegmentDocument> segments, Func<SegmentDocument, float[]?> vector)
    {
        var lengths = segments.Select(vector).Where(v => v is not null).Select(v => v!.Length).Distinct().ToList();
        return lengths.Count switch
        {
            0 => null,
            1 => lengths[0],
            _ => throw new ArgumentException($"Embeddings of one video must share one dimension (found {string.Join(", ", lengths)})."),
        };
    }

    private JsonObject? VectorLeg(string field, float[]? vector, int k, JsonArray filters)
    {
        if (vector is null)
        {
            return null;
        }
        if (!_dimensions.TryGetValue(field, out var dimension) || dimension != vector.Length || vector.All(v => v == 0))
        {
            // Nothing indexed with vectors yet, the query came from another model, or a zero vector (which has no
            // direction, so cosine similarity refuses it): this leg cannot answer.
            return null;
        }
        return OpenSearchQuery.KnnLeg(field, vector, k, filters);
    }

    /// <summary>Sends index/delete operations in one <c>_bulk</c>, resending items refused with 429; returns the other failures.</summary>
    private async Task<List<string>> BulkAsync(IEnumerable<(JsonObject Action, JsonNode? Document)> operations, CancellationToken ct)
    {
        var pending = operations.ToList();
        var failures = new List<string>();
        for (var attempt = 0; pending.Count > 0; attempt++)
        {
            var lines = pending.SelectMany(o => o.Document is null ? [o.Action] : new[] { o.Action, o.Document });
            // refresh=true, not wait_for: the segments index has no periodic refresh to wait for (see its template).
            var answer = (await _transport.SendNdJsonAsync("/_bulk?refresh=true", lines.Select(l => l.DeepClone()), ct)).EnsureSuccess("bulk indexing");
            if (answer.Body?["errors"]?.GetValue<bool>() != true)
            {
                return failures;
            }
            var items = answer.Body["items"]?.AsArray() ?? [];
            var retry = new List<(JsonObject, JsonNode?)>();
            for (var i = 0; i < items.Count && i < pending.Count; i++)
            {
                var result = items[i]!.AsObject().First().Value;
                if (result?["error"] is not { } error)
                {
                    continue;
                }
                if ((int?)result["status"] == 429 && attempt < _options.MaxRetries)
                {
                    retry.Add(pending[i]);
                }
                else
                {
                    failures.Add($"{(string?)result["_id"]}: {(string?)error["type"]}: {(string?)error["reason"]}");
                }
            }
            if (retry.Count > 0)
            {
                await Task.Delay(_options.RetryBaseDelay * Math.Pow(2, attempt), ct);
            }
            pending = retry;
        }
        return failures;
    }

    private Task DeleteByQueryAsync(string index, JsonObject body, CancellationToken ct) => ByQueryAsync("_delete_by_query", index, body, ct);

    /// <summary>
    /// Runs a by-query operation with <c>conflicts=proceed</c> (a document changed meanwhile is counted, not fatal), and
    /// runs it again while some were skipped for a conflict, so the change reaches every matching document.
    /// </summary>
    private async Task ByQueryAsync(string operation, string index, JsonObject body, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var answer = await _transport.SendAsync(HttpMethod.Post, $"/{index}/{operation}?conflicts=proceed&refresh=true", body.DeepClone(), ct);
            if (answer.Status == 404 && answer.ErrorType == "index_not_found_exception")
            {
                return;
            }
            answer.EnsureSuccess(operation);
            if (answer.Body?["failures"] is JsonArray { Count: > 0 } failures)
            {
                throw new OpenSearchException($"OpenSearch {operation} on {index} failed: {failures[0]?.ToJsonString()}");
            }
            var conflicts = (long?)answer.Body?["version_conflicts"] ?? 0;
            if (conflicts == 0)
            {
                return;
            }
            if (attempt >= _options.MaxRetries)
            {
                throw new OpenSearchException($"OpenSearch {operation} on {index} still met {conflicts} version conflicts after {attempt + 1} attempts.");
            }
            _logger.LogInformation("{Operation} on {Index} skipped {Conflicts} documents changed meanwhile; running it again", operation, index, conflicts);
        }
    }

    private SearchResult ReadHits(JsonNode body, SearchMode mode, bool videoRows)
    {
        var total = videoRows
            ? (int?)body["aggregations"]?[OpenSearchQuery.VideoCount]?["value"] ?? 0
            : (int?)body["hits"]?["total"]?["value"] ?? 0;
        var parsed = new List<(SearchHit Hit, long Generation)>();
        foreach (var hit in body["hits"]?["hits"]?.AsArray() ?? [])
        {
            // A collapsed hit is its video's best moment: the row shows the video's earliest one with that best score.
            var moment = videoRows ? hit!["inner_hits"]?[OpenSearchQuery.EarliestMoment]?["hits"]?["hits"]?[0] : hit;
            if (moment?["_source"] is not { } source)
            {
                continue;
            }
            var (snippet, fields) = Highlight(moment["highlight"] as JsonObject, source);
            parsed.Add((new SearchHit(
                Guid.Parse((string)source["videoId"]!),
                (string?)source["title"] ?? "",
                Guid.Parse((string)source["categoryId"]!),
                (int)source["segmentIndex"]!,
                (double)source["start"]!,
                (double)source["end"]!,
                (double?)hit?["_score"] ?? 0,
                snippet,
                fields), (long?)source["generation"] ?? 0));
        }
        // Between writing a new generation and deleting the old one both are searchable for a moment; a page holding
        // both shows only the newer, so no one sees a half-replaced video.
        var newest = parsed.GroupBy(p => p.Hit.VideoId).ToDictionary(g => g.Key, g => g.Max(p => p.Generation));
        var hits = parsed.Where(p => p.Generation == newest[p.Hit.VideoId]).Select(p => p.Hit).ToList();
        return new SearchResult(mode, Math.Max(hits.Count, total - (parsed.Count - hits.Count)), hits);
    }

    /// <summary>Fields in API.md's order, and the field a snippet is preferably taken from (the segment's own text first).</summary>
    private static readonly string[] FieldOrder =
        [SearchFields.Title, SearchFields.Description, SearchFields.Keywords, SearchFields.Transcript, SearchFields.Ocr, SearchFields.Caption];

    private static readonly string[] SnippetPreference = ["transcript", "ocr", "caption", "description", "segmentKeywords", "keywords", "title"];

    private static (string Snippet, IReadOnlyList<string> Fields) Highlight(JsonObject? highlight, JsonNode source)
    {
        if (highlight is null || highlight.Count == 0)
        {
            var text = string.Join(' ', new[] { "transcript", "ocr", "caption" }.Select(f => (string?)source[f]).Where(t => !string.IsNullOrEmpty(t)));
            return (SnippetMarkup.Head(text), []);
        }
        var matched = OpenSearchSchema.TextFields.Where(f => highlight.ContainsKey(f.Field)).Select(f => f.ApiField).ToHashSet();
        var best = SnippetPreference.First(highlight.ContainsKey);
        var fragments = highlight[best]!.AsArray().Select(f => (string?)f).Where(f => f is not null);
        return (SnippetMarkup.ToHtml(string.Join(' ', fragments)), [.. FieldOrder.Where(matched.Contains)]);
    }

    private static SearchResult Empty(SearchMode mode) => new(mode, 0, []);

    private long NextGeneration()
    {
        // Ticks of the clock, kept increasing within the process: a later replace always has the larger generation,
        // and the clock keeps that true across the API and indexer replicas well enough for replaces minutes apart.
        while (true)
        {
            var last = Interlocked.Read(ref _lastGeneration);
            var next = Math.Max(last + 1, DateTime.UtcNow.Ticks);
            if (Interlocked.CompareExchange(ref _lastGeneration, next, last) == last)
            {
                return next;
            }
        }
    }

    /// <summary>Segment document id: video, generation and position, so generations never overwrite each other.</summary>
    public static string SegmentId(Guid videoId, long generation, int segmentIndex) =>
        string.Create(CultureInfo.InvariantCulture, $"{videoId}:{generation}:{segmentIndex}");

    private static JsonObject IndexAction(string index, string id) =>
        new() { ["index"] = new JsonObject { ["_index"] = index, ["_id"] = id } };

    private static JsonObject VideoQuery(Guid videoId) => new() { ["term"] = new JsonObject { ["videoId"] = videoId.ToString() } };

    private static JsonObject GenerationQuery(Guid videoId, JsonObject generationClause) => new()
    {
        ["query"] = new JsonObject
        {
            ["bool"] = new JsonObject { ["filter"] = new JsonArray(VideoQuery(videoId), generationClause) },
        },
    };

    private static JsonObject VideoBody(VideoDocument video, long? generation)
    {
        var body = new JsonObject
        {
            ["videoId"] = video.VideoId.ToString(),
            ["categoryId"] = video.CategoryId.ToString(),
            ["title"] = Text(video.Title),
            ["description"] = Text(video.Description),
            ["keywords"] = Words(video.Keywords),
            ["summary"] = Text(video.Summary),
            ["createdAt"] = video.CreatedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
        };
        if (generation is { } g)
        {
            body["generation"] = g;
        }
        return body;
    }

    private static JsonObject SegmentBody(VideoDocument video, SegmentDocument segment, long generation)
    {
        var body = new JsonObject
        {
            ["videoId"] = video.VideoId.ToString(),
            ["categoryId"] = video.CategoryId.ToString(),
            ["segmentIndex"] = segment.SegmentIndex,
            ["start"] = segment.Start,
            ["end"] = segment.End,
            ["generation"] = generation,
            [OpenSearchSchema.CreatedAt] = OpenSearchQuery.Instant(video.CreatedAt),
            ["title"] = Text(video.Title),
            ["description"] = Text(video.Description),
            ["keywords"] = Words(video.Keywords),
            ["segmentKeywords"] = Words(segment.Keywords),
            ["transcript"] = Text(segment.Transcript),
            ["ocr"] = Text(segment.OcrText),
            ["caption"] = Text(segment.Caption),
        };
        if (segment.TextEmbedding is { } text)
        {
            body[OpenSearchSchema.TextEmbedding] = new JsonArray([.. text.Select(v => JsonValue.Create(v))]);
        }
        if (segment.ImageEmbedding is { } image)
        {
            body[OpenSearchSchema.ImageEmbedding] = new JsonArray([.. image.Select(v => JsonValue.Create(v))]);
        }
        return body;
    }

    /// <summary>Indexed text without the highlight marker characters, so only OpenSearch's highlighter can produce them.</summary>
    private static string? Text(string? text) => string.IsNullOrEmpty(text) ? null : SnippetMarkup.Clean(text);

    private static JsonArray Words(IReadOnlyList<string> words) =>
        new([.. words.Where(w => !string.IsNullOrWhiteSpace(w)).Select(w => JsonValue.Create(SnippetMarkup.Clean(w)))]);
}
