namespace Veeky.Api;

/// <summary>API settings under the <c>Veeky</c> configuration section (beside <see cref="VeekyOptions"/>).</summary>
public sealed class ApiOptions
{
    public ExternalAuthOptions Auth { get; set; } = new();

    public MediaLinkOptions MediaLinks { get; set; } = new();

    /// <summary>Address people open Veeky's web UI at (<c>https://veeky.example.com</c>), for links the API hands out
    /// (share links). Unset: the address of the request that asked, which is right for the all-in-one host.</summary>
    public Uri? PublicUrl { get; set; }
}

/// <summary>An external OpenID Connect issuer (Entra ID, Keycloak, ...) whose JWT access tokens are accepted.</summary>
public sealed class ExternalAuthOptions
{
    /// <summary>Issuer URL, e.g. <c>https://login.microsoftonline.com/{tenant}/v2.0</c>; external tokens are off when unset.</summary>
    public string? Authority { get; set; }

    /// <summary>The audience the tokens must be issued for (the API's application id URI or client id).</summary>
    public string? Audience { get; set; }

    public bool IsEnabled => !string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(Audience);
}

/// <summary>Signed media links that let <c>&lt;img&gt;</c> and <c>&lt;video&gt;</c> tags load files without a bearer header.</summary>
public sealed class MediaLinkOptions
{
    /// <summary>Secret the links are signed with. Unset: a random key kept in <c>{DataDirectory}/media-links.key</c>,
    /// which is enough for one host; set it when several API replicas must accept each other's links.</summary>
    public string? Key { get; set; }

    /// <summary>How long a link works at least (at most one and a half times that: expiries are rounded so a page shown
    /// again gets the same, cached, URLs). One hour outlasts a page view and a long video, and a leaked link soon dies.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(1);
}
