namespace Veeky.AppHost;

/// <summary>The embedded edition under the dashboard: Veeky.Web as the all-in-one host (SQLite, in-process search and
/// events, the indexer inside), the web UI on <see cref="AppHostSettings.WebPort"/>. Needs no container engine.</summary>
public static class EmbeddedEdition
{
    public static void AddEmbeddedEdition(this IDistributedApplicationBuilder builder, AppHostSettings settings,
        IResourceBuilder<ParameterResource> adminEmail, IResourceBuilder<ParameterResource> adminPassword)
    {
        var dataDirectory = builder.ExecutionContext.IsRunMode
            ? Path.GetFullPath(settings.EmbeddedDataDirectory ?? Path.Combine(builder.AppHostDirectory, ".veeky", "embedded"))
            : "/data";

        // Veeky.Web's own launch profile (port 5080, data in the repository's data/) is for running it alone.
        builder.AddProject<Projects.Veeky_Web>("web", options => options.ExcludeLaunchProfile = true)
            .WithHttpEndpoint(port: settings.WebPort, name: "http")
            .WithExternalHttpEndpoints()
            .WithHttpHealthCheck("/health")
            .WithEnvironment("Veeky__DataDirectory", dataDirectory)
            .WithEnvironment("Veeky__BootstrapAdmin__Email", adminEmail)
            .WithEnvironment("Veeky__BootstrapAdmin__Password", adminPassword);
    }
}
