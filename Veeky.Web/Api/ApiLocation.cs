using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Veeky.Web.Api;

/// <summary>
/// Where the Veeky API answers. Distributed edition: <c>Veeky:Web:ApiBaseUrl</c>, else Aspire's service discovery
/// entry <c>services:api:https:0</c> / <c>services:api:http:0</c>. Embedded edition (neither set): this very host,
/// which also serves the API, reached over loopback at the address Kestrel bound.
/// </summary>
public sealed class ApiLocation(Uri? configured, IServer server)
{
    public const string BaseUrlSetting = "Veeky:Web:ApiBaseUrl";

    private Uri? resolved = configured is null ? null : WithTrailingSlash(configured);

    /// <summary>The configured remote API, or null when this host is the all-in-one host.</summary>
    public static Uri? FromConfiguration(IConfiguration configuration)
    {
        var value = new[] { configuration[BaseUrlSetting], configuration["services:api:https:0"], configuration["services:api:http:0"] }
            .FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
        if (value is null)
        {
            return null;
        }
        // "api:8080" parses as a URI with the scheme "api": only http and https name a place to call.
        return Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new InvalidOperationException($"{BaseUrlSetting} must be an absolute URL such as http://api:8080, not '{value}'.");
    }

    /// <summary>The API's base address, ending with a slash so relative paths like <c>api/videos</c> append to it.</summary>
    public Uri BaseAddress => resolved ??= WithTrailingSlash(OwnAddress());

    private Uri OwnAddress()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        // Plain HTTP first: a loopback call to ourselves gains nothing from TLS and would need the dev certificate.
        var address = addresses.OrderBy(a => a.StartsWith("https:", StringComparison.OrdinalIgnoreCase) ? 1 : 0).FirstOrDefault()
            ?? throw new InvalidOperationException(
                $"The all-in-one host has no server address yet, so it cannot call its own API; set {BaseUrlSetting} to use a separate API.");
        var uri = new UriBuilder(address.Replace("://+", "://localhost").Replace("://*", "://localhost"));
        if (uri.Host is "0.0.0.0" or "[::]" or "::")
        {
            uri.Host = "localhost";
        }
        return uri.Uri;
    }

    private static Uri WithTrailingSlash(Uri uri) =>
        uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
}
