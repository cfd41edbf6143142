using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.StaticWebAssets;
using Veeky.Api.Identity;
using Veeky.Api.Security;
using Veeky.Data;
using Veeky.Web.Api;
using Veeky.Web.Components;
using Veeky.Web.Live;
using Veeky.Web.Media;
using Veeky.Web.Search;
using Veeky.Web.Sessions;
using Veeky.Web.Shares;
using Veeky.Web.Uploads;

namespace Veeky.Web;

/// <summary>Registers and maps the web UI: Razor components, the browser session, the API client and the relays.</summary>
public static class VeekyWebExtensions
{
    /// <summary>Adds the UI. <paramref name="remoteApi"/> is the API of the distributed edition; null means this host
    /// serves the API itself and the UI calls it over loopback.</summary>
    public static IHostApplicationBuilder AddVeekyWeb(this IHostApplicationBuilder builder, Uri? remoteApi)
    {
        ServeAssetsFromBuildOutput(builder);
        var services = builder.Services;
        services.AddRazorComponents();
        services.AddHttpContextAccessor();
        services.AddSingleton(sp => new ApiLocation(remoteApi, sp.GetRequiredService<IServer>()));

        services.AddTransient<SessionBearerHandler>();
        services.AddHttpClient<VeekyApiClient>((sp, client) => client.BaseAddress = sp.GetRequiredService<ApiLocation>().BaseAddress)
            .AddHttpMessageHandler<SessionBearerHandler>();
        services.AddHttpClient<UploadProxy>((sp, client) =>
            {
                client.BaseAddress = sp.GetRequiredService<ApiLocation>().BaseAddress;
                // A multi-gigabyte upload over a slow link takes as long as it takes; the browser's abort still cancels it.
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddHttpMessageHandler<SessionBearerHandler>();
        services.AddHttpClient<MediaRelay>((sp, client) =>
            {
                client.BaseAddress = sp.GetRequiredService<ApiLocation>().BaseAddress;
                // Watching a long video is one long response.
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddHttpMessageHandler<SessionBearerHandler>();
        services.AddScoped<SessionSignIn>();
        services.AddScoped<Ask.AskOffer>();
        services.AddScoped<ComponentHtml>();
        services.AddMemoryCache();
        // Pages are HTML written per request, a fraction of their bytes once compressed. Only text/html: the static
        // assets come precompressed (an answer that has a Content-Encoding already is left alone), and event streams,
        // media and uploads must not wait in a compressor's buffer. Over HTTPS too: BREACH needs a secret repeated in
        // every page beside reflected input, and the one secret in a page, the antiforgery token, is encrypted anew for
        // each answer.
        services.AddResponseCompression(options =>
        {
            options.MimeTypes = ["text/html"];
            options.EnableForHttps = true;
        });
        services.AddSingleton(new WebEdition(remoteApi is not null));
        builder.AddTrustedProxies();
        builder.AddSecurityHeaders(PageSecurityPolicy.Value);

        // Session cookies (and, in the all-in-one host, the API's tokens) are encrypted with the installation's one
        // key ring, kept owner-only in the data folder even when this host serves only the UI.
        builder.AddVeekyDataProtection();

        var authentication = services.AddAuthentication()
            .AddCookie(WebSession.Scheme, options =>
            {
                options.Cookie.Name = WebSession.CookieName;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.LoginPath = "/login";
                options.LogoutPath = "/logout";
                options.AccessDeniedPath = "/access-denied";
                options.ReturnUrlParameter = "returnUrl";
                // A working day; each request slides it, and the API's refresh token bounds it further.
                options.ExpireTimeSpan = TimeSpan.FromHours(12);
                options.SlidingExpiration = true;
                options.Events.OnValidatePrincipal = SessionTokenRefresher.ValidatePrincipalAsync;
            });
        if (remoteApi is null)
        {
            // The all-in-one host: the API made its bearer scheme the default. The UI's paths read the session cookie
            // instead, so pages and forms (and the antiforgery tokens they carry, which are bound to a user) see the
            // signed-in person; /api keeps accepting bearer tokens only, never the cookie.
            authentication.AddPolicyScheme(WebSession.HostScheme, "The API's bearer token on /api, the session cookie elsewhere", options =>
                options.ForwardDefaultSelector = context =>
                    SecurityHeaders.IsApiPath(context.Request.Path) ? ApiAuthentication.Scheme : WebSession.Scheme);
            services.Configure<AuthenticationOptions>(options => options.DefaultScheme = WebSession.HostScheme);
        }
        services.AddAuthorizationBuilder()
            .AddPolicy(WebSession.SignedInPolicy, policy => policy
                .AddAuthenticationSchemes(WebSession.Scheme).RequireAuthenticatedUser())
            .AddPolicy(WebSession.UploaderPolicy, policy => policy
                .AddAuthenticationSchemes(WebSession.Scheme).RequireRole(WebSession.AdminRole, WebSession.EditorRole))
            .AddPolicy(WebSession.AdminPolicy, policy => policy
                .AddAuthenticationSchemes(WebSession.Scheme).RequireRole(WebSession.AdminRole));
        return builder;
    }

    /// <summary>MapStaticAssets serves what a publish writes: each fingerprinted file with its precompressed copies
    /// beside it. Started from the build output instead (scripts/run.sh, <c>dotnet run</c> outside Development), those
    /// copies live in obj/ and only the build's static web assets manifest finds them; without it a browser that accepts
    /// gzip gets empty bodies. Development hosts load that manifest already, and a published folder has none, so this is
    /// a no-op for both.</summary>
    private static void ServeAssetsFromBuildOutput(IHostApplicationBuilder builder)
    {
        if (builder.Environment is IWebHostEnvironment web && !web.IsDevelopment())
        {
            StaticWebAssetsLoader.UseStaticWebAssets(web, builder.Configuration);
        }
    }

    /// <summary>Whether a bodiless error at <paramref name="path"/> gets a page: not the API's paths, nor the MCP
    /// server's (the all-in-one host serves both).</summary>
    private static bool IsPagePath(PathString path) =>
        !SecurityHeaders.IsApiPath(path) && !path.StartsWithSegments("/mcp");

    /// <summary>Maps the pages, static assets, sign-out, the upload relay and the live progress relay.</summary>
    public static WebApplication MapVeekyWeb(this WebApplication app)
    {
        // Friendly pages for bodiless errors on UI routes only: API clients keep their status codes (and, in the
        // all-in-one host, the API's problem bodies). Not in a UseWhen branch: a branch does not carry the host's route
        // table, so the re-executed request matched no page and answered an empty 404. A fresh scope, so the page does
        // not render with services the failed request already used.
        app.UseResponseCompression();
        app.UseStatusCodePagesWithReExecute("/status/{0}", createScopeForStatusCodePages: true);
        app.Use((context, next) =>
        {
            if (!IsPagePath(context.Request.Path) && context.Features.Get<IStatusCodePagesFeature>() is { } statusCodePages)
            {
                statusCodePages.Enabled = false;
            }
            return next(context);
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        // Anonymous on purpose: the sign-in page needs its styles even if a host adds a fallback authorization policy.
        app.MapStaticAssets().AllowAnonymous();
        app.MapSessionEndpoints();
        app.MapUploadEndpoints();
        app.MapLiveProgressEndpoints();
        app.MapLiveVideoEndpoints();
        Library.CardFrameEndpoints.MapCardFrameEndpoints(app);
        app.MapShareLinkEndpoints();
        app.MapSearchFragmentEndpoints();
        Transcripts.TranscriptDownloadEndpoints.MapTranscriptDownloadEndpoints(app);
        Ask.AskEndpoints.MapAskEndpoints(app);
        if (app.Services.GetRequiredService<WebEdition>().IsUiOnly)
        {
            app.MapMediaRelayEndpoints();
        }
        app.MapRazorComponents<App>();
        return app;
    }
}
