using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

/// <summary>OpenSearch has no Aspire integration: a plain container written as Aspire writes its own.</summary>
public static class OpenSearchBuilderExtensions
{
    public const string Image = "opensearchproject/opensearch";

    /// <summary>2.19 has the hybrid query and the normalization-processor (2.10+) Veeky's OpenSearch index relies on.</summary>
    public const string Tag = "2.19.2";

    /// <summary>Single node, no security plugin: it is reachable only on the app's network, and the plugin would need
    /// TLS and an admin password in every client. <paramref name="heap"/> is the JVM heap (<c>1g</c>).</summary>
    public static IResourceBuilder<OpenSearchResource> AddOpenSearch(this IDistributedApplicationBuilder builder,
        [ResourceName] string name, string heap = "1g")
    {
        return builder.AddResource(new OpenSearchResource(name))
            .WithImage(Image, Tag)
            .WithImageRegistry("docker.io")
            .WithEnvironment("discovery.type", "single-node")
            .WithEnvironment("DISABLE_SECURITY_PLUGIN", "true")
            .WithEnvironment("DISABLE_INSTALL_DEMO_CONFIG", "true")
            .WithEnvironment("OPENSEARCH_JAVA_OPTS", $"-Xms{heap} -Xmx{heap}")
            .WithHttpEndpoint(targetPort: OpenSearchResource.DefaultPort, name: OpenSearchResource.HttpEndpointName)
            .WithHttpHealthCheck("/_cluster/health", endpointName: OpenSearchResource.HttpEndpointName);
    }

    /// <summary>Keeps the indices in a named volume between runs.</summary>
    public static IResourceBuilder<OpenSearchResource> WithDataVolume(this IResourceBuilder<OpenSearchResource> builder, string? name = null) =>
        builder.WithVolume(name ?? $"veeky-{builder.Resource.Name}-data", "/usr/share/opensearch/data");
}
