using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Veeky.Api.Security;

/// <summary>
/// The headers every answer carries: a Content-Security-Policy (strict for the API's JSON and media; for the UI's pages
/// one that allows this site's own scripts, styles, images, media and event streams, and nothing inline), nosniff,
/// a same-origin Referrer-Policy (signed media links in addresses stay on the site) and no framing by other sites.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>The API answers data, never documents to render: nothing may load, run or frame it.</summary>
    public const string ApiPolicy = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>Paths the API answers; in the all-in-one host everything else is the UI's.</summary>
    public static bool IsApiPath(PathString path) =>
        path.StartsWithSegments("/api") || path.StartsWithSegments("/openapi");

    /// <summary>Adds the headers to every answer of the host. <paramref name="pagePolicy"/> is the UI's policy for its
    /// pages (every path outside <see cref="IsApiPath"/>); without one, every answer gets <see cref="ApiPolicy"/>.
    /// Safe to call from every Add… method of a host: the middleware is added once, first in the pipeline.</summary>
    public static IHostApplicationBuilder AddSecurityHeaders(this IHostApplicationBuilder builder, string? pagePolicy = null)
    {
        if (pagePolicy is not null)
        {
            builder.Services.Configure<SecurityHeadersOptions>(options => options.PagePolicy = pagePolicy);
        }
        builder.Services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, StartupFilter>());
        return builder;
    }

    private sealed class StartupFilter(IOptions<SecurityHeadersOptions> options) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            var pagePolicy = options.Value.PagePolicy;
            app.Use((context, nextMiddleware) =>
            {
                // Set as the answer starts, so error pages and answers whose headers were cleared get them too.
                context.Response.OnStarting(() =>
                {
                    var headers = context.Response.Headers;
                    headers.XContentTypeOptions = "nosniff";
                    headers.XFrameOptions = "DENY";
                    headers["Referrer-Policy"] = "same-origin";
                    if (!headers.ContainsKey(HeaderNames.ContentSecurityPolicy))
                    {
                        headers.ContentSecurityPolicy = pagePolicy is not null && !IsApiPath(context.Request.Path) ? pagePolicy : ApiPolicy;
                    }
                    return Task.CompletedTask;
                });
                return nextMiddleware(context);
            });
            next(app);
        };
    }

    /// <summary>Which policy the UI's pages get; set by the web host.</summary>
    public sealed class SecurityHeadersOptions
    {
        public string? PagePolicy { get; set; }
    }
}
