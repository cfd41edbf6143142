using System.Diagnostics;

namespace Veeky.AI;

/// <summary>
/// The ActivitySource of Veeky's model calls. Chat and embedding spans come from Microsoft.Extensions.AI's
/// <c>UseOpenTelemetry</c> on this source; the helpers below follow the same gen-ai conventions (span
/// "{operation} {model}", <c>gen_ai.*</c> tags) for the one call no library client covers yet: the Whisper server.
/// </summary>
public static class GenAITelemetry
{
    /// <summary>The ActivitySource (and Meter) Veeky's model clients report to; ServiceDefaults subscribes to <c>Veeky.*</c>.</summary>
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
