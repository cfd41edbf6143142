using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>What every Veeky host shares: telemetry, health checks and HTTP client defaults.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Tag on health checks that must pass for <c>/health</c> (ready) but not <c>/alive</c>.</summary>
    public const string ReadyTag = "ready";

    // .NET emits these itself; without the instrumentation packages we subscribe to them by name.
    private static readonly string[] ActivitySources =
        ["Microsoft.AspNetCore", "System.Net.Http", "Experimental.Microsoft.Extensions.AI", "Npgsql", "Veeky.*"];

    private static readonly string[] Meters =
    [
        "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Diagnostics", "Microsoft.AspNetCore.RateLimiting", "Microsoft.AspNetCore.Components",
        "Microsoft.AspNetCore.Authentication", "Microsoft.AspNetCore.Authorization", "Microsoft.AspNetCore.Identity",
        "System.Net.Http", "System.Runtime", "Npgsql", "Veeky.*",
    ];

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        builder.Services.ConfigureHttpClientDefaults(http => http
            .ConfigureHttpClient(client => client.Timeout = TimeSpan.FromMinutes(5))
            .AddHttpMessageHandler(() => new TransientRetryHandler()));
        return builder;
    }

    private static void ConfigureOpenTelemetry(this IHostApplicationBuilder builder)
    {
        var otlp = builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        if (string.IsNullOrWhiteSpace(otlp))
        {
            return;
        }

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
            logging.AddOtlpExporter();
        });

        var resource = ResourceBuilder.CreateDefault().AddService(builder.Environment.ApplicationName);
        var tracerProvider = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource(ActivitySources)
            .SetSampler(new HealthProbeFilteringSampler())
            .AddOtlpExporter()
            .Build();
        var meterProvider = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(Meters)
            .AddOtlpExporter()
            .Build();
        builder.Services.AddHostedService(_ => new TelemetryLifetime(tracerProvider, meterProvider));
    }

    /// <summary>Maps <c>/health</c> (ready: every check) and <c>/alive</c> (the process answers).</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = HealthResponseWriter.WriteAsync });
        app.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = check => check.Tags.Contains("live") });
        return app;
    }

    /// <summary>Keeps health probes out of traces: they would drown the pipelines in the dashboard.</summary>
    private sealed class HealthProbeFilteringSampler : Sampler
    {
        public override SamplingResult ShouldSample(in SamplingParameters parameters)
        {
            var path = parameters.Tags?.FirstOrDefault(t => t.Key == "url.path").Value as string;
            return path is "/health" or "/alive"
                ? new SamplingResult(SamplingDecision.Drop)
                : new SamplingResult(SamplingDecision.RecordAndSample);
        }
    }

    /// <summary>Owns the telemetry providers so they flush on shutdown.</summary>
    private sealed class TelemetryLifetime(TracerProvider tracer, MeterProvider meter) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            tracer.ForceFlush();
            meter.ForceFlush();
            tracer.Dispose();
            meter.Dispose();
            return Task.CompletedTask;
        }
    }
}
