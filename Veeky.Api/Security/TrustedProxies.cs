using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Veeky.Api.Security;

/// <summary>
/// Behind a TLS proxy, the client's address and scheme arrive in <c>X-Forwarded-For</c>/<c>X-Forwarded-Proto</c>.
/// They are believed only from the proxies and networks configured here (plus loopback), so
/// <c>Request.IsHttps</c> is right (the session cookie is then marked Secure), sign-in throttling counts the real
/// client, and nobody else can claim another address by sending the headers themselves.
/// </summary>
public static class TrustedProxies
{
    /// <summary>Trusts the configured proxies' forwarded headers, first thing in the pipeline. Safe to call from every
    /// Add… method of a host: registers once.</summary>
    public static IHostApplicationBuilder AddTrustedProxies(this IHostApplicationBuilder builder)
    {
        if (builder.Services.Any(d => d.ImplementationType == typeof(StartupFilter)))
        {
            return builder;
        }
        builder.AddValidatedOptions<TrustedProxyOptions>(TrustedProxyOptions.Section);
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<TrustedProxyOptions>>((forwarded, trusted) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Walk the chain right to left for as long as each hop is trusted, however many proxies there are.
            forwarded.ForwardLimit = null;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            // Loopback always: the all-in-one host's pages call its own API over loopback, naming the browser.
            forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse("127.0.0.0/8"));
            forwarded.KnownProxies.Add(IPAddress.IPv6Loopback);
            foreach (var proxy in trusted.Value.KnownProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }
            foreach (var network in trusted.Value.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        builder.Services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, StartupFilter>());
        return builder;
    }

    private sealed class StartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseForwardedHeaders();
            next(app);
        };
    }
}

/// <summary>Settings under <c>Veeky:ForwardedHeaders</c>: which reverse proxies' forwarded headers are believed.</summary>
public sealed class TrustedProxyOptions : IValidatableObject
{
    public const string Section = "Veeky:ForwardedHeaders";

    /// <summary>Proxy addresses, e.g. <c>10.0.0.5</c>. Loopback is always trusted.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Proxy networks in CIDR notation, e.g. <c>10.0.0.0/8</c> (a container network).</summary>
    public List<string> KnownNetworks { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var proxy in KnownProxies.Where(p => !IPAddress.TryParse(p, out _)))
        {
            yield return new ValidationResult(
                $"{Section}:KnownProxies has '{proxy}', which is not an IP address such as 10.0.0.5.", [nameof(KnownProxies)]);
        }
        foreach (var network in KnownNetworks.Where(n => !System.Net.IPNetwork.TryParse(n, out _)))
        {
            yield return new ValidationResult(
                $"{Section}:KnownNetworks has '{network}', which is not a network in CIDR notation such as 10.0.0.0/8.", [nameof(KnownNetworks)]);
        }
    }
}
