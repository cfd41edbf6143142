namespace Aspire.Hosting.ApplicationModel;

/// <summary>A Whisper server answering the OpenAI transcription API (<see href="https://speaches.ai">speaches</see>),
/// with the model it serves; its connection string is <c>Endpoint=http://host:port;Model=name</c>, what Veeky's
/// Whisper transcriber reads.</summary>
public sealed class WhisperResource(string name, string modelName) : ContainerResource(name), IResourceWithConnectionString
{
    public const string HttpEndpointName = "http";

    public const int DefaultPort = 8000;

    private EndpointReference? _primaryEndpoint;

    /// <summary>A faster-whisper model on Hugging Face (<c>Systran/faster-distil-whisper-small.en</c>).</summary>
    public string ModelName { get; } = modelName;

    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, HttpEndpointName);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"Endpoint={PrimaryEndpoint.Property(EndpointProperty.Url)};Model={ModelName}");

    IEnumerable<KeyValuePair<string, ReferenceExpression>> IResourceWithConnectionString.GetConnectionProperties() =>
    [
        new("Endpoint", ReferenceExpression.Create($"{PrimaryEndpoint.Property(EndpointProperty.Url)}")),
        new("Model", ReferenceExpression.Create($"{ModelName}")),
    ];
}
