using System.Text.Json.Nodes;

namespace Veeky.Search.OpenSearch;

/// <summary>
/// Names and bodies of everything Veeky creates on the cluster: the index templates of <c>videos</c> and <c>segments</c>,
/// the k-NN vector fields, and one search pipeline per combination of hybrid legs (the normalization-processor needs
/// exactly one weight per sub-query, in order).
/// </summary>
public sealed class OpenSearchSchema(string prefix)
{
    public const string TextEmbedding = "textEmbedding";
    public const string ImageEmbedding = "imageEmbedding";

    /// <summary>Segment text fields searched by BM25 with their boosts, and the API field each is reported as.</summary>
    public static IReadOnlyList<(string Field, double Boost, string ApiField)> TextFields { get; } =
    [
        ("title", 4, SearchFields.Title),
        ("keywords", 3, SearchFields.Keywords),
        ("segmentKeywords", 3, SearchFields.Keywords),
        ("description", 1.5, SearchFields.Description),
        ("transcript", 1, SearchFields.Transcript),
        ("ocr", 1, SearchFields.Ocr),
        ("caption", 1, SearchFields.Caption),
    ];

    /// <summary>
    /// The text analyzer: OpenSearch's <c>english</c> analyzer rebuilt without its stop-word filter (possessive and
    /// Porter stemming, lower case) plus accent folding. Common words stay findable, as they are in the SQLite index,
    /// so "the" or "to be" finds moments in both editions; BM25 already gives such words little weight.
    /// </summary>
    public const string Analyzer = "veeky_english";

    /// <summary>
    /// Templates of other applications on a shared cluster may match everything at priority 0; overlapping templates
    /// of equal priority are refused, so Veeky's take precedence at a higher one.
    /// </summary>
    public const int TemplatePriority = 200;

    public string VideosIndex => $"{prefix}videos";
    public string SegmentsIndex => $"{prefix}segments";
    public string VideosTemplate => $"{prefix}videos-template";
    public string SegmentsTemplate => $"{prefix}segments-template";

    /// <summary>The pipeline fusing these legs, named after them so each leg count has its own weights.</summary>
    public string PipelineName(IReadOnlyList<HybridLeg> legs) =>
        $"{prefix}hybrid-{string.Join('-', legs.Select(l => l.ToString().ToLowerInvariant()))}";

    /// <summary>Leg combinations a hybrid query can have: BM25 with either or both vector legs, or both vector legs.</summary>
    public static IReadOnlyList<IReadOnlyList<HybridLeg>> LegCombinations { get; } =
    [
        [HybridLeg.Text, HybridLeg.Semantic],
        [HybridLeg.Text, HybridLeg.Image],
        [HybridLeg.Text, HybridLeg.Semantic, HybridLeg.Image],
        [HybridLeg.Semantic, HybridLeg.Image],
    ];

    public JsonObject VideosTemplateBody() => new()
    {
        ["index_patterns"] = new JsonArray(VideosIndex),
        ["priority"] = TemplatePriority,
        ["template"] = new JsonObject
        {
            ["settings"] = new JsonObject { ["analysis"] = Analysis() },
            ["mappings"] = new JsonObject
            {
                ["dynamic"] = "strict",
                ["properties"] = new JsonObject
                {
                    ["videoId"] = Keyword(),
                    ["categoryId"] = Keyword(),
                    ["title"] = EnglishText(),
                    ["description"] = EnglishText(),
                    ["keywords"] = EnglishText(),
                    ["summary"] = EnglishText(),
                    ["createdAt"] = new JsonObject { ["type"] = "date" },
                    ["generation"] = new JsonObject { ["type"] = "long" },
                },
            },
        },
    };

    /// <summary>
    /// The segments template. <c>index.knn</c> is a static setting, so it is set here, at creation; the vector fields
    /// themselves are added by <see cref="VectorMappingBody"/> once their dimension is known.
    /// </summary>
    public JsonObject SegmentsTemplateBody()
    {
        var properties = new JsonObject
        {
            ["videoId"] = Keyword(),
            ["categoryId"] = Keyword(),
            ["segmentIndex"] = new JsonObject { ["type"] = "integer" },
            ["start"] = new JsonObject { ["type"] = "double" },
            ["end"] = new JsonObject { ["type"] = "double" },
            ["generation"] = new JsonObject { ["type"] = "long" },
            [CreatedAt] = CreatedAtMapping(),
        };
        foreach (var (field, _, _) in TextFields)
        {
            properties[field] = EnglishText();
        }
        return new JsonObject
        {
            ["index_patterns"] = new JsonArray(SegmentsIndex),
            ["priority"] = TemplatePriority,
            ["template"] = new JsonObject
            {
                ["settings"] = new JsonObject
                {
                    ["index.knn"] = true,
                    // Segments become searchable only at the explicit refreshes of Veeky's writes (a whole new
                    // generation at once, then the old one gone at once), never by a periodic refresh in the middle
                    // of a bulk, which could show half a generation.
                    ["index.refresh_interval"] = "-1",
                    ["analysis"] = Analysis(),
                },
                ["mappings"] = new JsonObject { ["dynamic"] = "strict", ["properties"] = properties },
            },
        };
    }

    /// <summary>The video's creation time, copied into each segment so the date filter sits inside every leg.</summary>
    public const string CreatedAt = "createdAt";

    public static JsonObject CreatedAtMapping() => new() { ["type"] = "date" };

    /// <summary>Adds <see cref="CreatedAt"/> to a segments index created before the date filter existed.</summary>
    public static JsonObject CreatedAtMappingBody() => new()
    {
        ["properties"] = new JsonObject { [CreatedAt] = CreatedAtMapping() },
    };

    /// <summary>A <c>knn_vector</c> field with HNSW, cosine similarity and the Lucene engine (which filters during the search).</summary>
    public static JsonObject VectorMappingBody(string field, int dimension) => new()
    {
        ["properties"] = new JsonObject
        {
            [field] = new JsonObject
            {
                ["type"] = "knn_vector",
                ["dimension"] = dimension,
                ["method"] = new JsonObject
                {
                    ["name"] = "hnsw",
                    ["space_type"] = "cosinesimil",
                    ["engine"] = "lucene",
                },
            },
        },
    };

    /// <summary>
    /// Min-max normalisation and weighted arithmetic mean, or reciprocal rank fusion, as <see cref="SearchOptions"/>
    /// chooses. Weights are scaled to sum to 1, which the processor requires.
    /// </summary>
    public static JsonObject PipelineBody(IReadOnlyList<HybridLeg> legs, SearchOptions options)
    {
        if (options.Fusion == FusionMethod.ReciprocalRank)
        {
            return new JsonObject
            {
                ["description"] = "Veeky hybrid search: reciprocal rank fusion",
                ["phase_results_processors"] = new JsonArray(new JsonObject
                {
                    ["score-ranker-processor"] = new JsonObject
                    {
                        ["combination"] = new JsonObject { ["technique"] = "rrf", ["rank_constant"] = options.RankConstant },
                    },
                }),
            };
        }
        var weights = legs.Select(l => l switch
        {
            HybridLeg.Text => options.TextWeight,
            HybridLeg.Semantic => options.SemanticWeight,
            _ => options.ImageWeight,
        }).ToList();
        var sum = weights.Sum();
        var normalised = weights.Select(w => sum > 0 ? Math.Round(w / sum, 6) : Math.Round(1.0 / weights.Count, 6)).ToList();
        // Rounding may leave the sum a millionth off 1; the last weight takes the difference.
        normalised[^1] = Math.Round(1 - normalised.Take(normalised.Count - 1).Sum(), 6);
        return new JsonObject
        {
            ["description"] = "Veeky hybrid search: min-max normalisation, weighted arithmetic mean",
            ["phase_results_processors"] = new JsonArray(new JsonObject
            {
                ["normalization-processor"] = new JsonObject
                {
                    ["normalization"] = new JsonObject { ["technique"] = "min_max" },
                    ["combination"] = new JsonObject
                    {
                        ["technique"] = "arithmetic_mean",
                        ["parameters"] = new JsonObject { ["weights"] = new JsonArray([.. normalised.Select(w => JsonValue.Create(w))]) },
                    },
                },
            }),
        };
    }

    private static JsonObject Keyword() => new() { ["type"] = "keyword" };

    private static JsonObject EnglishText() => new() { ["type"] = "text", ["analyzer"] = Analyzer };

    private static JsonObject Analysis() => new()
    {
        ["filter"] = new JsonObject
        {
            ["veeky_english_possessive"] = new JsonObject { ["type"] = "stemmer", ["language"] = "possessive_english" },
            ["veeky_english_stemmer"] = new JsonObject { ["type"] = "stemmer", ["language"] = "english" },
        },
        ["analyzer"] = new JsonObject
        {
            [Analyzer] = new JsonObject
            {
                ["type"] = "custom",
                ["tokenizer"] = "standard",
                ["filter"] = new JsonArray("veeky_english_possessive", "lowercase", "asciifolding", "veeky_english_stemmer"),
            },
        },
    };
}

/// <summary>One sub-query of a hybrid search.</summary>
public enum HybridLeg { Text, Semantic, Image }
