using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aspire.Hosting;

/// <summary>Healthy once the Ollama server lists the model (<c>GET /api/tags</c>): the download has finished.</summary>
internal sealed class OllamaModelHealthCheck(OllamaModelResource model) : IHealthCheck
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var endpoint = new Uri(model.Parent.PrimaryEndpoint.Url);
            return await IsPresentAsync(Http, model, cancellationToken, endpoint)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"{model.ModelName} is not on the server yet");
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TaskCanceledException)
        {
            return HealthCheckResult.Unhealthy($"Ollama did not answer: {ex.Message}", ex);
        }
    }

    public static async Task<bool> IsPresentAsync(HttpClient http, OllamaModelResource model, CancellationToken ct, Uri? endpoint = null)
    {
        var tags = await http.GetFromJsonAsync<JsonElement>(endpoint is null ? "/api/tags" : new Uri(endpoint, "/api/tags").ToString(), ct);
        var names = tags.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("name").GetString() ?? "");
        return model.IsListedIn(names);
    }
}
