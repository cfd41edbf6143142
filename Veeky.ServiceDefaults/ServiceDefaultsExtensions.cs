using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>What every Veeky host shares, as the Aspire template writes it: OpenTelemetry (exported over OTLP when the
/// orchestrator sets <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>), health checks, service discovery, the standard resilience
/// handler on every HttpClient, and the one <see cref="TimeProvider"/>.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Tag on health checks that must pass for <c>/health</c> (ready) but not <c>/alive</c>.</summary>
    public const string ReadyTag = "ready";

    private const string HealthEndpointPath = "/health";
    private const string AlivenessEndpointPath = "/alive";

    /// <summary>Veeky's own traces and meters (pipeline, search, model calls) and the model calls Microsoft.Extensions.AI
    /// records; the framework's are covered by the instrumentation packages.</summary>
    private static readonly string[] VeekySources = ["Veeky.*", "Experimental.Microsoft.Extensions.AI"];

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        // The one clock every service asks for the time; a test swaps it by registering its own after this.
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            // The resilience handler's timeouts govern; HttpClient's own 100 s would cut a relayed upload short first.
            http.ConfigureHttpClient(client => client.Timeout = HttpClientResilience.TotalRequestTimeout);
            http.AddStandardResilienceHandler(HttpClientResilience.Configure);
            http.AddServiceDiscovery();
        });
        return builder;
    }

    private static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var telemetry = builder.Services.AddOpenTelemetry();
        // Aspire names each resource through OTEL_SERVICE_NAME (api, indexer, web); naming the service here would
        // override it, so the application name is only the fallback for a host started on its own.
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_SERVICE_NAME"]))
        {
            telemetry.ConfigureResource(resource => resource.AddService(builder.Environment.ApplicationName));
        }
        telemetry
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(VeekySources))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddSource(VeekySources)
                // Health probes every few seconds would drown the pipelines in the dashboard.
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !IsHealthProbe(context.Request.Path))
                .AddHttpClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }
        return builder;
    }

    private static bool IsHealthProbe(PathString path) =>
        path.StartsWithSegments(HealthEndpointPath) || path.StartsWithSegments(AlivenessEndpointPath);

    /// <summary>Maps <c>/health</c> (ready: every check) and <c>/alive</c> (the process answers).</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthEndpointPath, new HealthCheckOptions { ResponseWriter = HealthResponseWriter.WriteAsync });
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains("live") });
        return app;
    }
}
