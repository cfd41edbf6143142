namespace Aspire.Hosting.ApplicationModel;

/// <summary>An Ollama server container; its connection string is <c>Endpoint=http://host:port</c>.</summary>
public sealed class OllamaResource(string name) : ContainerResource(name), IResourceWithConnectionString
{
    public const string HttpEndpointName = "http";

    /// <summary>The port Ollama listens on inside the container.</summary>
    public const int DefaultPort = 11434;

    private EndpointReference? _primaryEndpoint;

    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, HttpEndpointName);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"Endpoint={PrimaryEndpoint.Property(EndpointProperty.Url)}");

    IEnumerable<KeyValuePair<string, ReferenceExpression>> IResourceWithConnectionString.GetConnectionProperties() =>
        [new("Endpoint", ReferenceExpression.Create($"{PrimaryEndpoint.Property(EndpointProperty.Url)}"))];
}
