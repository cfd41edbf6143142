namespace Veeky.AppHost;

/// <summary>
/// The distributed edition as the design card draws it: PostgreSQL for metadata and jobs, OpenSearch for hybrid
/// search, Redis for progress fan-out and the search cache, Ollama and a Whisper server for the models, one API, N
/// indexers and a UI-only web front end. Every connection reaches the projects as <c>ConnectionStrings:&lt;name&gt;</c>,
/// the settings the embedded edition already reads.
/// </summary>
public static class DistributedEdition
{
    public static void AddDistributedEdition(this IDistributedApplicationBuilder builder, AppHostSettings settings,
        IResourceBuilder<ParameterResource> adminEmail, IResourceBuilder<ParameterResource> adminPassword)
    {
        // Volumes only when running locally: a deployment provisions its own storage, and tests start from nothing.
        var keepData = builder.ExecutionContext.IsRunMode && settings.DataVolumes;

        // A Postgres data volume keeps the password it was created with, so the password is a parameter stored in
        // user secrets rather than a fresh random one each run. The database is named veeky: ConnectionStrings:veeky.
        var postgresPassword = builder.AddParameter("postgres-password", secret: true);
        var postgres = builder.AddPostgres("postgres", password: postgresPassword);
        var opensearch = builder.AddOpenSearch("opensearch", settings.OpenSearchHeap);
        // Redis holds only progress messages and cached search answers, both rebuilt on their own: no volume.
        var redis = builder.AddRedis("redis");
        var ollama = builder.AddOllama("ollama");
        var whisper = builder.AddWhisper("whisper", settings.WhisperModel);
        if (keepData)
        {
            postgres.WithDataVolume("veeky-postgres-data");
            opensearch.WithDataVolume();
            ollama.WithDataVolume();
            whisper.WithDataVolume();
        }
        if (settings.Gpu)
        {
            ollama.WithGpuSupport();
        }
        var database = postgres.AddDatabase("veeky");
        // Named as the connection strings Veeky reads; each turns healthy once its model is downloaded.
        var chatModel = ollama.AddModel("ollama-chat", settings.ChatModel);
        var visionModel = ollama.AddModel("ollama-vision", settings.VisionModel);
        var embeddingModel = ollama.AddModel("ollama-embed", settings.EmbeddingModel);

        // Uploads are written by the API and read by every indexer, so they share one media folder. Locally the
        // projects are processes on this machine and share a folder; a deployment mounts one shared volume at /media.
        var mediaDirectory = builder.ExecutionContext.IsRunMode
            ? Path.GetFullPath(settings.MediaDirectory ?? Path.Combine(builder.AppHostDirectory, ".veeky", "media"))
            : "/media";

        // The API: every backing service, and the models search (embeddings) and /api/ask (chat) use.
        var api = builder.AddProject<Projects.Veeky_Api>("api", WithoutLaunchProfile)
            .WithHttpEndpoint(name: "http")
            .WithHttpHealthCheck("/health")
            .WithEnvironment("Veeky__MediaDirectory", mediaDirectory)
            .WithEnvironment("Veeky__BootstrapAdmin__Email", adminEmail)
            .WithEnvironment("Veeky__BootstrapAdmin__Password", adminPassword)
            .WithBackingServices(database, opensearch, redis, chatModel, visionModel, embeddingModel, whisper);

        // The indexers: the same services (the vision model for captions, Whisper for speech). Replicas share the
        // job table, so more of them index more videos at once. They wait for the API, which migrates the schema.
        builder.AddProject<Projects.Veeky_Indexer>("indexer", WithoutLaunchProfile)
            .WithReplicas(settings.IndexerReplicas)
            .WithHttpEndpoint(name: "http")
            .WithHttpHealthCheck("/health")
            .WithEnvironment("Veeky__MediaDirectory", mediaDirectory)
            .WithBackingServices(database, opensearch, redis, chatModel, visionModel, embeddingModel, whisper)
            .WaitFor(api);

        // The web front end serves only the UI: the reference to the API gives it services:api:http:0 (service
        // discovery), which is what switches Veeky.Web from the all-in-one host to a UI in front of a separate API.
        builder.AddProject<Projects.Veeky_Web>("web", WithoutLaunchProfile)
            .WithHttpEndpoint(port: settings.WebPort, name: "http")
            .WithExternalHttpEndpoints()
            .WithHttpHealthCheck("/health")
            .WithReference(api)
            .WaitFor(api);
    }

    /// <summary>The AppHost sets the endpoints and settings itself: a project's own launch profile (Veeky.Web's serves
    /// on 5080 with data in the repository's data/) is for running it alone.</summary>
    private static void WithoutLaunchProfile(ProjectResourceOptions options) => options.ExcludeLaunchProfile = true;

    /// <summary>References each service under the connection string name Veeky reads and waits until it is healthy
    /// (for a model: downloaded).</summary>
    private static IResourceBuilder<ProjectResource> WithBackingServices(this IResourceBuilder<ProjectResource> project,
        IResourceBuilder<PostgresDatabaseResource> database, IResourceBuilder<OpenSearchResource> opensearch,
        IResourceBuilder<RedisResource> redis, IResourceBuilder<OllamaModelResource> chatModel,
        IResourceBuilder<OllamaModelResource> visionModel, IResourceBuilder<OllamaModelResource> embeddingModel,
        IResourceBuilder<WhisperResource> whisper) =>
        project
            .WithReference(database).WaitFor(database)
            .WithReference(opensearch, connectionName: "search").WaitFor(opensearch)
            .WithReference(redis).WaitFor(redis)
            .WithReference(chatModel).WaitFor(chatModel)
            .WithReference(visionModel).WaitFor(visionModel)
            .WithReference(embeddingModel).WaitFor(embeddingModel)
            .WithReference(whisper).WaitFor(whisper);
}
