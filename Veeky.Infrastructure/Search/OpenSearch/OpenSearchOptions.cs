using System.ComponentModel.DataAnnotations;

namespace Veeky.Search.OpenSearch;

/// <summary>Settings under <c>Veeky:Search:OpenSearch</c>; the server's URL itself is <c>ConnectionStrings:search</c>.</summary>
public sealed class OpenSearchOptions
{
    public const string Section = "Veeky:Search:OpenSearch";

    /// <summary>Base URL of the cluster, e.g. <c>http://localhost:9200</c>. Bound from <c>ConnectionStrings:search</c>.</summary>
    [Required]
    public Uri? Endpoint { get; set; }

    /// <summary>
    /// Start of every index, template and pipeline name. "veeky-" keeps Veeky's indices apart from anything else on a
    /// shared cluster; tests use a unique prefix per run.
    /// </summary>
    [Required, RegularExpression("^[a-z0-9][a-z0-9_-]*$")]
    public string IndexPrefix { get; set; } = "veeky-";

    /// <summary>
    /// Dimension of the text embedding model. Null until known: the <c>textEmbedding</c> field is then mapped from
    /// the first vectors indexed. A mapped dimension cannot change without a rebuild.
    /// </summary>
    [Range(1, 16_000)]
    public int? TextDimensions { get; set; }

    /// <summary>Dimension of the image-text model's embeddings, as <see cref="TextDimensions"/>.</summary>
    [Range(1, 16_000)]
    public int? ImageDimensions { get; set; }

    /// <summary>
    /// Retries of a request answered 429 (too many requests) or a 5xx. Three covers a busy node catching up or a
    /// primary moving to another node, without hiding a cluster that is really down.
    /// </summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>First wait before a retry; doubled each time unless the server says how long in Retry-After.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Longest wait honoured from a Retry-After header, so one slow answer cannot stall indexing for minutes.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);
}
