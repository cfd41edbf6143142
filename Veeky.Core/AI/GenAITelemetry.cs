using System.Diagnostics;

namespace Veeky.AI;

/// <summary>
/// Spans for model calls following the OpenTelemetry gen-ai semantic conventions (span "{operation} {model}",
/// <c>gen_ai.*</c> tags), so a trace shows which model was asked, how long it took and how many tokens it used.
/// </summary>
public static class GenAITelemetry
{
    /// <summary>The ActivitySource Veeky's adapters report to; ServiceDefaults subscribes to <c>Veeky.*</c>.</summary>
    public const string SourceName = "Veeky.AI";

    internal static readonly ActivitySource Source = new(SourceName);

    internal static Activity? Start(string operation, string provider, string model, Uri endpoint)
    {
        var activity = Source.StartActivity($"{operation} {model}", ActivityKind.Client);
        if (activity is null)
        {
            return null;
        }
        activity.SetTag("gen_ai.operation.name", operation);
        activity.SetTag("gen_ai.provider.name", provider);
        activity.SetTag("gen_ai.request.model", model);
        activity.SetTag("server.address", endpoint.Host);
        activity.SetTag("server.port", endpoint.Port);
        return activity;
    }

    /// <summary>The sampling settings a chat call asked for, as <c>gen_ai.request.*</c> tags.</summary>
    internal static void ChatRequest(Activity? activity, Microsoft.Extensions.AI.ChatOptions? options)
    {
        if (activity is null || options is null)
        {
            return;
        }
        if (options.Temperature is { } temperature) activity.SetTag("gen_ai.request.temperature", temperature);
        if (options.MaxOutputTokens is { } maxTokens) activity.SetTag("gen_ai.request.max_tokens", maxTokens);
        if (options.Seed is { } seed) activity.SetTag("gen_ai.request.seed", seed);
    }

    internal static void Succeeded(Activity? activity, string? responseModel, long? inputTokens, long? outputTokens, string? finishReason = null)
    {
        if (activity is null)
        {
            return;
        }
        if (responseModel is not null) activity.SetTag("gen_ai.response.model", responseModel);
        if (inputTokens is not null) activity.SetTag("gen_ai.usage.input_tokens", inputTokens);
        if (outputTokens is not null) activity.SetTag("gen_ai.usage.output_tokens", outputTokens);
        if (finishReason is not null) activity.SetTag("gen_ai.response.finish_reasons", new[] { finishReason });
    }

    internal static void Failed(Activity? activity, Exception exception)
    {
        if (activity is null)
        {
            return;
        }
        activity.SetStatus(ActivityStatusCode.Error, exception.Message);
        activity.SetTag("error.type", exception is OperationCanceledException ? "cancelled" : exception.GetType().FullName);
    }
}
