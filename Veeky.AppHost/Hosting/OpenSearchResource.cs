namespace Aspire.Hosting.ApplicationModel;

/// <summary>A single-node OpenSearch container; its connection string is its URL (<c>http://host:port</c>), what
/// Veeky's OpenSearch index reads from <c>ConnectionStrings:search</c>.</summary>
public sealed class OpenSearchResource(string name) : ContainerResource(name), IResourceWithConnectionString
{
    public const string HttpEndpointName = "http";

    public const int DefaultPort = 9200;

    private EndpointReference? _primaryEndpoint;

    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, HttpEndpointName);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{PrimaryEndpoint.Property(EndpointProperty.Url)}");

    IEnumerable<KeyValuePair<string, ReferenceExpression>> IResourceWithConnectionString.GetConnectionProperties() =>
        [new("Uri", ConnectionStringExpression)];
}
