using System.Text.Json.Serialization;
using Veeky;
using Veeky.Api;
using Veeky.Api.Admin;
using Veeky.Api.Categories;
using Veeky.Api.Configs;
using Veeky.Api.Health;
using Veeky.Api.Identity;
using Veeky.Api.Import;
using Veeky.Api.Media;
using Veeky.Api.Progress;
using Veeky.Api.Search;
using Veeky.Api.Security;
using Veeky.Api.Shares;
using Veeky.Api.Startup;
using Veeky.Api.Videos;
using Veeky.Api.Webhooks;

namespace Microsoft.Extensions.Hosting;

/// <summary>Registers and maps the Veeky HTTP API, so both the API host and the all-in-one Veeky.Web host use it.</summary>
public static class VeekyApiExtensions
{
    /// <summary>Services of the API: identity and auth, problem details, JSON, OpenAPI, health checks and start-up work.
    /// Call after <c>AddVeekyCore()</c>.</summary>
    public static IHostApplicationBuilder AddVeekyApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ApiOptions>().Bind(builder.Configuration.GetSection(VeekyOptions.Section));
        builder.Services.AddHostedService<BootstrapAdminInitializer>();
        builder.Services.AddScoped<BootstrapAdmin>();
        // After the first admin is created: the watch folder imports as that admin by default.
        builder.AddVeekyImport();
        builder.AddVeekyAuthentication();
        builder.AddVeekyMcp();
        builder.AddTrustedProxies();
        builder.AddSecurityHeaders();
        builder.AddVeekyWebhooks();

        builder.Services.AddSingleton<MediaLinkSigner>();
        builder.Services.AddSingleton<ShareTokens>();
        builder.Services.AddSingleton<SearchIndexRebuilder>();
        // For endpoints and MCP tools alike; GET /api/search binds its query vectors through QueryEmbeddings.BindAsync,
        // which minimal APIs prefer to the service.
        builder.Services.AddScoped(QueryEmbeddings.From);
        builder.Services.AddScoped<QuestionAnswerer>();
        builder.Services.AddProblemDetails();
        // A body the endpoint cannot read is the caller's mistake (400, 415), in Development too, where minimal APIs
        // throw it instead of answering it.
        builder.Services.AddExceptionHandler(options => options.StatusCodeSelector =
            exception => exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError);
        builder.Services.AddSingleton<StorageUnavailable>();
        builder.Services.AddSingleton<Microsoft.AspNetCore.Diagnostics.IExceptionHandler>(sp => sp.GetRequiredService<StorageUnavailable>());
        builder.Services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer<BearerSecuritySchemeTransformer>());

        builder.Services.AddHealthChecks()
            .AddCheck<SearchIndexHealthCheck>("search", tags: [ServiceDefaultsExtensions.ReadyTag])
            .AddCheck<QueueHealthCheck>("queue", tags: [ServiceDefaultsExtensions.ReadyTag]);
        return builder;
    }

    /// <summary>The API's middleware and endpoints.</summary>
    public static WebApplication MapVeekyApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        // Before anything that reads the database (sign-in, endpoints): 503 with a sentence while it is not ready.
        var storage = app.Services.GetRequiredService<StorageUnavailable>();
        app.Use((context, next) => storage.GateAsync(context, next));
        // Empty 401/403/404 answers get a problem-details body too.
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapOpenApi();
        app.MapAuthEndpoints();
        app.MapApiKeyEndpoints();
        app.MapUserEndpoints();
        app.MapAccountEndpoints();
        app.MapAdminStatusEndpoint();
        app.MapCategoryEndpoints();
        app.MapConfigEndpoints();
        app.MapVideoEndpoints();
        app.MapMediaEndpoints();
        app.MapShareEndpoints();
        app.MapSearchEndpoints();
        app.MapAskAvailabilityEndpoint();
        app.MapEventEndpoints();
        app.MapAdminEndpoints();
        app.MapVeekyMcp();
        app.MapWebhookEndpoints();
        return app;
    }
}
