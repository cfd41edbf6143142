using Microsoft.Extensions.Diagnostics.HealthChecks;
using OllamaSharp;

namespace Veeky.AI;

/// <summary>
/// Checks cheaply that each configured model server answers: Ollama's <c>GET /api/tags</c> (which also tells whether
/// the model is pulled), and any HTTP answer from the OpenAI-compatible servers. Reports Degraded rather than
/// Unhealthy by registration, since Veeky still indexes and searches without its models.
/// </summary>
public sealed class AIEndpointsHealthCheck(IHttpClientFactory httpClientFactory, AICapabilities capabilities) : IHealthCheck
{
    /// <summary>A server that takes longer than this to list its models is as good as down for /health's purpose.</summary>
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var probes = new List<(string Name, ModelConnection Connection, Task<string?> Problem)>();
        if (capabilities.Chat is { } chat) probes.Add(("chat", chat, ProbeOllamaAsync(chat, cancellationToken)));
        if (capabilities.Vision is { } vision && vision != capabilities.Chat) probes.Add(("vision", vision, ProbeOllamaAsync(vision, cancellationToken)));
        if (capabilities.Embeddings is { } embeddings) probes.Add(("embeddings", embeddings, ProbeOllamaAsync(embeddings, cancellationToken)));
        if (capabilities.ImageEmbeddings is { } images) probes.Add(("imageEmbeddings", images, ProbeAnswersAsync(images, cancellationToken)));
        if (capabilities.Whisper is { } whisper) probes.Add(("whisper", whisper, ProbeAnswersAsync(whisper, cancellationToken)));
        if (probes.Count == 0)
        {
            return HealthCheckResult.Healthy("No model servers configured.");
        }

        await Task.WhenAll(probes.Select(p => p.Problem));
        // Per endpoint: its state ("ok" or what is wrong) and, beside it, which server was asked.
        var data = new Dictionary<string, object>();
        foreach (var probe in probes)
        {
            data[probe.Name] = probe.Problem.Result ?? "ok";
            // Without any user:password an endpoint URL might carry: /health is read by monitoring, not only admins.
            data[probe.Name + "Endpoint"] = probe.Connection.Endpoint.GetComponents(
                UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
        }
        var problems = probes.Where(p => p.Problem.Result is not null).Select(p => $"{p.Name}: {p.Problem.Result}").ToList();
        return problems.Count == 0
            ? HealthCheckResult.Healthy("All model servers answer.", data)
            : new HealthCheckResult(context.Registration.FailureStatus, string.Join(" ", problems), data: data);
    }

    /// <summary>Null when the server lists the model; otherwise what is wrong.</summary>
    private async Task<string?> ProbeOllamaAsync(ModelConnection connection, CancellationToken ct)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(ProbeTimeout);
            var http = httpClientFactory.CreateClient(AIServiceKeys.HttpClientName);
            http.BaseAddress = connection.Resolve("");
            var models = await new OllamaApiClient(http).ListLocalModelsAsync(timeout.Token);
            if (connection.Model is null)
            {
                return null;
            }
            var wanted = WithTag(connection.Model);
            var present = (models ?? []).Any(m => WithTag(m.Name ?? "") == wanted);
            return present ? null : $"model \"{connection.Model}\" is not pulled on {connection.Endpoint} (ollama pull {connection.Model}).";
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException)
        {
            return $"{connection.Endpoint} does not answer: {ex.Message}";
        }
    }

    /// <summary>Null when the server gives any HTTP answer below 500 at its base address.</summary>
    private async Task<string?> ProbeAnswersAsync(ModelConnection connection, CancellationToken ct)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(ProbeTimeout);
            var http = httpClientFactory.CreateClient(AIServiceKeys.HttpClientName);
            using var response = await http.GetAsync(connection.Endpoint, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return (int)response.StatusCode < 500 ? null : $"{connection.Endpoint} answers {(int)response.StatusCode}.";
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return $"{connection.Endpoint} does not answer: {ex.Message}";
        }
    }

    /// <summary>Ollama lists <c>llama3.2:latest</c> for a model pulled as <c>llama3.2</c>.</summary>
    private static string WithTag(string model) => model.Contains(':') ? model : model + ":latest";
}
