using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Veeky.AppHost;

// The distributed edition: PostgreSQL for metadata and jobs, OpenSearch for hybrid search, Redis for progress fan-out
// and the search cache, Ollama and a Whisper server for the models, one API, N indexers and a UI-only web front end.
// Every connection reaches the projects as ConnectionStrings:<name>, the settings the embedded edition already reads.
var builder = DistributedApplication.CreateBuilder(args);
var settings = builder.Configuration.GetSection(AppHostSettings.Section).Get<AppHostSettings>() ?? new AppHostSettings();

// Volumes only when running locally: a deployment provisions its own storage, and tests start from nothing.
var keepData = builder.ExecutionContext.IsRunMode && settings.DataVolumes;

// A Postgres data volume keeps the password it was created with, so the password is a parameter stored in user
// secrets rather than a fresh random one each run. The database is named veeky: ConnectionStrings:veeky.
var postgresPassword = builder.AddParameter("postgres-password", secret: true);
var postgres = builder.AddPostgres("postgres", password: postgresPassword);
if (keepData)
{
    postgres.WithDataVolume();
}
var database = postgres.AddDatabase("veeky");

// OpenSearch has no Aspire integration, so it is a plain container. 2.19 has the hybrid query and the
// normalization-processor (2.10+) Veeky's OpenSearch index relies on. Single node, no security plugin: it is
// reachable only on the app's network, and the plugin would need TLS and an admin password in every client.
var opensearch = builder.AddContainer("opensearch", "opensearchproject/opensearch", "2.19.2")
    .WithEnvironment("discovery.type", "single-node")
    .WithEnvironment("DISABLE_SECURITY_PLUGIN", "true")
    .WithEnvironment("DISABLE_INSTALL_DEMO_CONFIG", "true")
    .WithEnvironment("OPENSEARCH_JAVA_OPTS", $"-Xms{settings.OpenSearchHeap} -Xmx{settings.OpenSearchHeap}")
    .WithHttpEndpoint(targetPort: 9200, name: "http")
    .WithHttpHealthCheck("/_cluster/health", endpointName: "http");
if (keepData)
{
    opensearch.WithVolume("veeky-opensearch-data", "/usr/share/opensearch/data");
}
// A container is not a connection string itself: hand its URL over as one, so projects see ConnectionStrings:search.
var search = builder.AddConnectionString("search", ReferenceExpression.Create($"{opensearch.GetEndpoint("http")}"));

// Redis holds only progress messages and cached search answers, both rebuilt on their own, so it needs no volume.
var redis = builder.AddRedis("redis");

// Ollama serves the three models; AddModel downloads each on first start and its resource turns healthy once the
// model is there, so WaitFor(model) keeps the projects from calling a model that is still downloading. The model
// resources are named as the connection strings Veeky reads: ollama-chat, ollama-vision, ollama-embed.
var ollama = builder.AddOllama("ollama");
if (keepData)
{
    ollama.WithDataVolume();
}
if (settings.Gpu)
{
    ollama.WithGPUSupport();
}
var chatModel = ollama.AddModel("ollama-chat", settings.ChatModel);
var visionModel = ollama.AddModel("ollama-vision", settings.VisionModel);
var embeddingModel = ollama.AddModel("ollama-embed", settings.EmbeddingModel);

// speaches (formerly faster-whisper-server) answers the OpenAI transcription API, POST /v1/audio/transcriptions,
// with word timestamps. It loads only models it has downloaded, so the model is fetched once it is up.
var speaches = builder.AddContainer("speaches", "speaches-ai/speaches", "0.8.3-cpu")
    .WithImageRegistry("ghcr.io")
    .WithHttpEndpoint(targetPort: 8000, name: "http")
    .WithHttpHealthCheck("/health", endpointName: "http");
speaches.OnResourceReady(async (_, _, ct) =>
{
    // POST /v1/models/{id} downloads the model into the Hugging Face cache; it answers at once when already there.
    using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
    var endpoint = speaches.GetEndpoint("http").Url;
    using var response = await http.PostAsync($"{endpoint}/v1/models/{settings.WhisperModel}", content: null, ct);
    response.EnsureSuccessStatusCode();
});
if (keepData)
{
    speaches.WithVolume("veeky-whisper-models", "/home/ubuntu/.cache/huggingface/hub");
}
var whisper = builder.AddConnectionString("whisper",
    ReferenceExpression.Create($"Endpoint={speaches.GetEndpoint("http")};Model={settings.WhisperModel}"));

// Uploads are written by the API and read by every indexer, so they share one media folder. Locally the projects
// are processes on this machine and share a folder; a deployment must mount one shared volume at /media.
var mediaDirectory = builder.ExecutionContext.IsRunMode
    ? Path.GetFullPath(settings.MediaDirectory ?? Path.Combine(builder.AppHostDirectory, ".veeky", "media"))
    : "/media";

// The first admin, created by the API when no user exists. Secret so neither shows in the dashboard or manifests.
var adminEmail = builder.AddParameter("admin-email", secret: true);
var adminPassword = builder.AddParameter("admin-password", secret: true);

// The API: every backing service, and the models search (embeddings) and /api/ask (chat) use.
var api = builder.AddProject<Projects.Veeky_Api>("api")
    .WithHttpEndpoint()
    .WithHttpHealthCheck("/health")
    .WithEnvironment("Veeky__MediaDirectory", mediaDirectory)
    .WithEnvironment("Veeky__BootstrapAdmin__Email", adminEmail)
    .WithEnvironment("Veeky__BootstrapAdmin__Password", adminPassword)
    .WithReference(database).WaitFor(database)
    .WithReference(search).WaitFor(opensearch)
    .WithReference(redis).WaitFor(redis)
    .WithReference(chatModel).WaitFor(chatModel)
    .WithReference(visionModel).WaitFor(visionModel)
    .WithReference(embeddingModel).WaitFor(embeddingModel)
    .WithReference(whisper).WaitFor(speaches);

// The indexers: the same services, plus the vision model for captions and Whisper for speech. Replicas share the
// job table, so more of them index more videos at once. They wait for the API, which migrates the schema.
builder.AddProject<Projects.Veeky_Indexer>("indexer")
    .WithReplicas(settings.IndexerReplicas)
    .WithHttpEndpoint()
    .WithHttpHealthCheck("/health")
    .WithEnvironment("Veeky__MediaDirectory", mediaDirectory)
    .WithReference(database).WaitFor(database)
    .WithReference(search).WaitFor(opensearch)
    .WithReference(redis).WaitFor(redis)
    .WithReference(chatModel).WaitFor(chatModel)
    .WithReference(visionModel).WaitFor(visionModel)
    .WithReference(embeddingModel).WaitFor(embeddingModel)
    .WithReference(whisper).WaitFor(speaches)
    .WaitFor(api);

// The web front end serves only the UI: the reference to the API gives it services:api:http:0 (service discovery),
// which is what switches Veeky.Web from the all-in-one host to a UI in front of a separate API.
builder.AddProject<Projects.Veeky_Web>("web")
    .WithHttpEndpoint()
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints()
    .WithReference(api)
    .WaitFor(api);

builder.Build().Run();
