using Aspire.Hosting.ApplicationModel;
using Veeky.AppHost.Tests.Infrastructure;
using Veeky.Tests.Infrastructure;

namespace Veeky.AppHost.Tests;

/// <summary>
/// The distributed edition's application model as the AppHost declares it, built but not started: these need no
/// container engine, so they run in CI. The end-to-end run of the same model is <see cref="DistributedEditionTests"/>.
/// </summary>
public sealed class DistributedModelTests
{
    private static readonly string[] BackingServices =
        ["ConnectionStrings__veeky", "ConnectionStrings__search", "ConnectionStrings__redis", "ConnectionStrings__ollama-chat",
         "ConnectionStrings__ollama-vision", "ConnectionStrings__ollama-embed", "ConnectionStrings__whisper"];

    [Fact]
    public async Task Every_resource_the_design_card_names_is_there_with_its_kind()
    {
        await using var app = await AppHostModel.BuildAsync();

        Assert.IsType<PostgresServerResource>(app.Resource("postgres"));
        Assert.IsType<PostgresDatabaseResource>(app.Resource("veeky"));
        Assert.IsType<OpenSearchResource>(app.Resource("opensearch"));
        Assert.IsType<RedisResource>(app.Resource("redis"));
        Assert.IsType<OllamaResource>(app.Resource("ollama"));
        Assert.IsType<WhisperResource>(app.Resource("whisper"));
        Assert.All(["ollama-chat", "ollama-vision", "ollama-embed"], name =>
            Assert.Same(app.Resource("ollama"), app.Resource<OllamaModelResource>(name).Parent));
        Assert.All(["api", "indexer", "web"], name => Assert.IsType<ProjectResource>(app.Resource(name)));
        Assert.Equal(
            ["admin-email", "admin-password", "api", "indexer", "ollama", "ollama-chat", "ollama-embed", "ollama-vision",
             "opensearch", "postgres", "postgres-password", "redis", "veeky", "web", "whisper"],
            app.Names);
    }

    [Fact]
    public async Task The_api_and_the_indexers_reach_every_backing_service_under_the_connection_string_name_Veeky_reads()
    {
        await using var app = await AppHostModel.BuildAsync();

        foreach (var project in new[] { "api", "indexer" })
        {
            var environment = await app.EnvironmentAsync(project);
            Assert.All(BackingServices, name => Assert.Contains(name, environment.Keys));
            Assert.Equal("{veeky.connectionString}", environment["ConnectionStrings__veeky"]);
            Assert.Equal("{opensearch.connectionString}", environment["ConnectionStrings__search"]);
            Assert.Equal("{ollama-embed.connectionString}", environment["ConnectionStrings__ollama-embed"]);
            Assert.Contains("Veeky__MediaDirectory", environment.Keys);
        }
        var api = await app.EnvironmentAsync("api");
        Assert.Equal("{admin-email.value}", api["Veeky__BootstrapAdmin__Email"]);
        Assert.Equal("{admin-password.value}", api["Veeky__BootstrapAdmin__Password"]);
    }

    [Fact]
    public async Task The_web_front_end_finds_the_api_by_service_discovery_and_touches_no_store()
    {
        await using var app = await AppHostModel.BuildAsync();

        var web = await app.EnvironmentAsync("web");

        Assert.Contains("services__api__http__0", web.Keys);
        Assert.DoesNotContain(web.Keys, key => key.StartsWith("ConnectionStrings__", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Two_indexer_replicas_share_the_queue_unless_the_setting_says_otherwise()
    {
        await using var byDefault = await AppHostModel.BuildAsync();
        await using var three = await AppHostModel.BuildAsync("Veeky:AppHost:IndexerReplicas=3");

        Assert.Equal(2, byDefault.Resource("indexer").Annotations.OfType<ReplicaAnnotation>().Single().Replicas);
        Assert.Equal(3, three.Resource("indexer").Annotations.OfType<ReplicaAnnotation>().Single().Replicas);
        Assert.DoesNotContain(byDefault.Resource("api").Annotations.OfType<ReplicaAnnotation>(), r => r.Replicas != 1);
    }

    [Fact]
    public async Task Every_service_and_project_has_a_health_check_and_models_have_one_for_their_download()
    {
        await using var app = await AppHostModel.BuildAsync();

        Assert.All(["postgres", "veeky", "opensearch", "redis", "ollama", "whisper", "ollama-chat", "ollama-vision",
                    "ollama-embed", "api", "indexer", "web"],
            name => Assert.NotEmpty(app.Resource(name).Annotations.OfType<HealthCheckAnnotation>()));
        Assert.Contains(app.Resource("ollama-chat").Annotations.OfType<HealthCheckAnnotation>(), h => h.Key == "ollama-chat_model_present");
        Assert.Contains(app.Resource("whisper").Annotations.OfType<HealthCheckAnnotation>(), h => h.Key == "whisper_model_present");
    }

    [Fact]
    public async Task Projects_start_only_once_what_they_use_is_healthy_and_the_indexers_after_the_api()
    {
        await using var app = await AppHostModel.BuildAsync();

        string[] services = ["ollama-chat", "ollama-embed", "ollama-vision", "opensearch", "redis", "veeky", "whisper"];
        Assert.All(services, service => Assert.Contains(service, app.WaitsFor("api")));
        Assert.All(services, service => Assert.Contains(service, app.WaitsFor("indexer")));
        Assert.Contains("api", app.WaitsFor("indexer"));
        Assert.DoesNotContain("indexer", app.WaitsFor("api"));
        Assert.Equal(["api"], app.WaitsFor("web"));
    }

    [Fact]
    public async Task Only_the_web_front_end_is_public_and_the_services_listen_on_their_own_ports()
    {
        await using var app = await AppHostModel.BuildAsync();

        var web = Assert.Single(app.Resource("web").Annotations.OfType<EndpointAnnotation>());
        Assert.True(web.IsExternal);
        Assert.Equal(5080, web.Port);
        Assert.All(["api", "indexer"], name =>
            Assert.All(app.Resource(name).Annotations.OfType<EndpointAnnotation>(), endpoint => Assert.False(endpoint.IsExternal)));
        Assert.Equal(11434, TargetPort(app, "ollama"));
        Assert.Equal(9200, TargetPort(app, "opensearch"));
        Assert.Equal(8000, TargetPort(app, "whisper"));
    }

    [Fact]
    public async Task The_passwords_and_the_admin_are_secret_parameters()
    {
        await using var app = await AppHostModel.BuildAsync();

        Assert.All(["postgres-password", "admin-email", "admin-password"],
            name => Assert.True(app.Resource<ParameterResource>(name).Secret, $"{name} is not secret"));
    }

    [Fact]
    public async Task Run_mode_keeps_each_stores_data_in_a_named_volume_unless_turned_off()
    {
        await using var app = await AppHostModel.BuildAsync();
        await using var fresh = await AppHostModel.BuildAsync("Veeky:AppHost:DataVolumes=false");

        Assert.Equal(["ollama", "opensearch", "postgres", "whisper"], VolumeOwners(app));
        Assert.Equal("/root/.ollama", Volumes(app, "ollama").Single().Target);
        Assert.Empty(VolumeOwners(fresh));
    }

    [Fact]
    public async Task Publish_mode_declares_no_volume_so_the_deployment_provisions_its_own_storage()
    {
        using var output = new TempFolder("veeky-publish-model");
        await using var app = await AppHostModel.BuildAsync("--publisher", "manifest", "--output-path", output.File("manifest.json"));

        Assert.Empty(VolumeOwners(app));
        var api = await app.EnvironmentAsync("api");
        Assert.Equal("/media", api["Veeky__MediaDirectory"]);
    }

    [Fact]
    public async Task Ollama_gets_the_gpus_by_default_and_none_when_turned_off()
    {
        await using var app = await AppHostModel.BuildAsync();
        await using var cpu = await AppHostModel.BuildAsync("Veeky:AppHost:Gpu=false");

        Assert.Equal(["--gpus", "all"], await RuntimeArgsAsync(app.Resource("ollama")));
        Assert.Empty(await RuntimeArgsAsync(cpu.Resource("ollama")));
    }

    [Fact]
    public async Task A_model_connection_string_names_the_ollama_endpoint_and_the_model_as_Veeky_reads_it()
    {
        await using var app = await AppHostModel.BuildAsync("Veeky:AppHost:ChatModel=qwen2.5:0.5b");

        Assert.Equal("Endpoint={ollama.bindings.http.url}", app.Resource<OllamaResource>("ollama").ConnectionStringExpression.ValueExpression);
        Assert.Equal("{ollama.connectionString};Model=qwen2.5:0.5b",
            app.Resource<OllamaModelResource>("ollama-chat").ConnectionStringExpression.ValueExpression);
        Assert.Equal("{ollama.connectionString};Model=all-minilm",
            app.Resource<OllamaModelResource>("ollama-embed").ConnectionStringExpression.ValueExpression);
        Assert.Equal("Endpoint={whisper.bindings.http.url};Model=Systran/faster-distil-whisper-small.en",
            app.Resource<WhisperResource>("whisper").ConnectionStringExpression.ValueExpression);
        Assert.Equal("{opensearch.bindings.http.url}",
            app.Resource<OpenSearchResource>("opensearch").ConnectionStringExpression.ValueExpression);
    }

    [Fact]
    public void A_model_counts_as_downloaded_when_ollama_lists_it_with_its_tag_or_as_latest()
    {
        var ollama = new OllamaResource("ollama");
        var untagged = new OllamaModelResource("chat", "llama3.2", ollama);
        var tagged = new OllamaModelResource("chat", "qwen2.5:0.5b", ollama);

        Assert.True(untagged.IsListedIn(["all-minilm:latest", "llama3.2:latest"]));
        Assert.True(tagged.IsListedIn(["qwen2.5:0.5b"]));
        Assert.False(tagged.IsListedIn(["qwen2.5:latest", "qwen2.5:1.5b"]));
        Assert.False(untagged.IsListedIn(["llama3.2:1b"]));
    }

    [Fact]
    public async Task A_setting_out_of_range_stops_the_apphost_with_a_sentence_naming_it()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => AppHostModel.BuildAsync("Veeky:AppHost:IndexerReplicas=0"));

        Assert.Contains("IndexerReplicas", Innermost(error).Message);
    }

    private static Exception Innermost(Exception error) => error.InnerException is { } inner ? Innermost(inner) : error;

    private static int? TargetPort(AppHostModel app, string name) =>
        Assert.Single(app.Resource(name).Annotations.OfType<EndpointAnnotation>()).TargetPort;

    private static IEnumerable<ContainerMountAnnotation> Volumes(AppHostModel app, string name) =>
        app.Resource(name).Annotations.OfType<ContainerMountAnnotation>().Where(m => m.Type == ContainerMountType.Volume);

    private static List<string> VolumeOwners(AppHostModel app) =>
        app.Model.Resources.Where(r => Volumes(app, r.Name).Any()).Select(r => r.Name).Order().ToList();

    private static async Task<List<string>> RuntimeArgsAsync(IResource container)
    {
        var args = new List<object>();
        foreach (var annotation in container.Annotations.OfType<ContainerRuntimeArgsCallbackAnnotation>())
        {
            await annotation.Callback(new ContainerRuntimeArgsCallbackContext(args, TestContext.Current.CancellationToken));
        }
        return args.Select(a => a.ToString()!).ToList();
    }
}
