namespace Veeky.Api.Identity;

/// <summary>The <c>AzureAd</c> section as Microsoft.Identity.Web reads it (<c>Instance</c>, <c>TenantId</c>,
/// <c>ClientId</c>, optional <c>Audience</c>); read here to decide whether Entra ID tokens are accepted and to stop the
/// host with a sentence when the section is half filled.</summary>
public sealed record EntraIdSettings(Uri Instance, string TenantId, string ClientId)
{
    public const string Section = "AzureAd";

    /// <summary>Entra ID's sign-in host for the public cloud; national clouds set their own <c>AzureAd:Instance</c>.</summary>
    public static readonly Uri PublicCloud = new("https://login.microsoftonline.com/");

    /// <summary>The settings, or null when the section is absent; throws naming the setting that is missing or wrong.</summary>
    public static EntraIdSettings? Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        if (!section.GetChildren().Any(c => !string.IsNullOrWhiteSpace(c.Value)))
        {
            return null;
        }
        foreach (var required in new[] { "TenantId", "ClientId" })
        {
            if (string.IsNullOrWhiteSpace(section[required]))
            {
                throw new InvalidOperationException(
                    $"{Section}:{required} must be set to accept Microsoft Entra ID tokens (or remove the {Section} section).");
            }
        }
        var instance = section["Instance"] is { Length: > 0 } text ? text : PublicCloud.AbsoluteUri;
        if (!Uri.TryCreate(instance, UriKind.Absolute, out var instanceUri) || instanceUri.Scheme != Uri.UriSchemeHttps)
        {
            throw new InvalidOperationException($"{Section}:Instance must be an absolute https URL such as {PublicCloud}.");
        }
        return new EntraIdSettings(instanceUri, section["TenantId"]!, section["ClientId"]!);
    }

    /// <summary>Whether <paramref name="issuer"/> is this tenant's: v2.0 tokens name the instance, v1.0 tokens
    /// <c>sts.windows.net</c>.</summary>
    public bool Issues(string? issuer) =>
        issuer is not null
        && (issuer.StartsWith(Instance.AbsoluteUri, StringComparison.OrdinalIgnoreCase)
            || issuer.StartsWith($"https://sts.windows.net/{TenantId}/", StringComparison.OrdinalIgnoreCase));
}
