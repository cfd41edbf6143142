namespace Veeky.Contracts;

/// <summary>
/// The bounds the API enforces on what it is sent, and that the web UI's forms repeat (<c>maxlength</c>, its own
/// checks) so a person learns of a limit before the API refuses. One place, so the two cannot drift apart again.
/// </summary>
public static class Limits
{
    /// <summary>A question to <c>/api/ask</c>: a sentence or two, not a document.</summary>
    public const int QuestionLength = 2000;

    /// <summary>A video's title (API.md: 1 to 200 characters).</summary>
    public const int TitleLength = 200;

    /// <summary>A video's description.</summary>
    public const int DescriptionLength = 10_000;

    /// <summary>A link to import from, and a webhook's address.</summary>
    public const int UrlLength = 2000;

    /// <summary>A category's name.</summary>
    public const int CategoryNameLength = 100;

    /// <summary>An API key's name.</summary>
    public const int ApiKeyNameLength = 100;

    /// <summary>The longest lifetime of an API key, in days (about ten years).</summary>
    public const int ApiKeyLifetimeDays = 3650;

    /// <summary>A webhook's signing secret given by the admin: long enough to resist guessing, short enough for a header.</summary>
    public const int WebhookSecretMinLength = 16;

    /// <inheritdoc cref="WebhookSecretMinLength"/>
    public const int WebhookSecretMaxLength = 200;

    /// <summary>A key-value setting's key.</summary>
    public const int ConfigKeyLength = 200;

    /// <summary>A prompt template's name.</summary>
    public const int PromptNameLength = 100;

    /// <summary>A prompt's description.</summary>
    public const int PromptDescriptionLength = 400;

    /// <summary>A model's name in an LLM setting.</summary>
    public const int ModelNameLength = 200;

    /// <summary>An LLM setting's endpoint address.</summary>
    public const int ModelEndpointLength = 400;

    /// <summary>Most moments one search answers with (<c>limit</c>).</summary>
    public const int SearchResults = 100;

    /// <summary>Most videos on one page of <c>GET /api/videos</c> (<c>pageSize</c>).</summary>
    public const int PageSize = 100;

}
