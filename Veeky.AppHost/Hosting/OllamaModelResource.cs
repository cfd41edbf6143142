namespace Aspire.Hosting.ApplicationModel;

/// <summary>A model served by an <see cref="OllamaResource"/>. It turns healthy once the model is on the server, so
/// <c>WaitFor(model)</c> waits for the download; its connection string is <c>Endpoint=http://host:port;Model=name</c>,
/// what Veeky's model adapters read.</summary>
public sealed class OllamaModelResource(string name, string modelName, OllamaResource parent)
    : Resource(name), IResourceWithParent<OllamaResource>, IResourceWithConnectionString, IResourceWithWaitSupport
{
    public OllamaResource Parent { get; } = parent;

    /// <summary>The model as Ollama names it, with an optional tag (<c>llama3.2</c>, <c>qwen2.5:0.5b</c>).</summary>
    public string ModelName { get; } = modelName;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{Parent};Model={ModelName}");

    IEnumerable<KeyValuePair<string, ReferenceExpression>> IResourceWithConnectionString.GetConnectionProperties() =>
    [
        new("Endpoint", ReferenceExpression.Create($"{Parent.PrimaryEndpoint.Property(EndpointProperty.Url)}")),
        new("Model", ReferenceExpression.Create($"{ModelName}")),
    ];

    /// <summary>Whether Ollama's model list (<c>GET /api/tags</c>) names this model; a name without a tag is
    /// listed as <c>name:latest</c>.</summary>
    public bool IsListedIn(IEnumerable<string> names) => names.Any(listed =>
        string.Equals(listed, ModelName, StringComparison.OrdinalIgnoreCase)
        || !ModelName.Contains(':') && string.Equals(listed, ModelName + ":latest", StringComparison.OrdinalIgnoreCase));
}
