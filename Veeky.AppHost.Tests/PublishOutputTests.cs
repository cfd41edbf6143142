using System.Text.Json;
using Veeky.AppHost.Tests.Infrastructure;
using Veeky.Tests.Infrastructure;

namespace Veeky.AppHost.Tests;

/// <summary>What <c>azd up</c> reads: azd runs the AppHost with <c>--publisher manifest</c> and provisions Azure
/// Container Apps from the manifest it writes. There is no Azure here, so this checks the manifest itself.</summary>
public sealed class PublishOutputTests
{
    [Fact]
    public async Task The_manifest_azd_consumes_lists_every_resource_with_its_kind_secrets_and_references()
    {
        using var output = new TempFolder("veeky-manifest");
        var path = output.File("manifest.json");
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        patience.CancelAfter(TimeSpan.FromMinutes(3));

        await using (var appHost = AppHostProcess.Start(["--launch-profile", "distributed", "--", "--publisher", "manifest", "--output-path", path],
                         new Dictionary<string, string>()))
        {
            Assert.True(await appHost.WaitForExitAsync(patience.Token) == 0, appHost.Output);
        }

        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken));
        var resources = manifest.RootElement.GetProperty("resources");
        string Type(string name) => resources.GetProperty(name).GetProperty("type").GetString()!;

        // Every resource of the model; Aspire adds the values it derives (redis-password, …) beside them.
        var names = resources.EnumerateObject().Select(r => r.Name).ToHashSet();
        Assert.All(["admin-email", "admin-password", "api", "indexer", "ollama", "ollama-chat", "ollama-embed", "ollama-vision",
                    "opensearch", "postgres", "postgres-password", "redis", "veeky", "web", "whisper"],
            name => Assert.Contains(name, names));
        Assert.All(["api", "indexer", "web"], name => Assert.Equal("project.v0", Type(name)));
        Assert.All(["postgres", "redis", "opensearch", "ollama", "whisper"], name => Assert.StartsWith("container.v", Type(name)));
        Assert.All(["admin-email", "admin-password", "postgres-password"], name =>
        {
            Assert.Equal("parameter.v0", Type(name));
            Assert.True(resources.GetProperty(name).GetProperty("inputs").GetProperty("value").GetProperty("secret").GetBoolean());
        });
        Assert.Equal("Endpoint={ollama.bindings.http.url}", resources.GetProperty("ollama").GetProperty("connectionString").GetString());
        Assert.Equal("{ollama.connectionString};Model=llama3.2",
            resources.GetProperty("ollama-chat").GetProperty("connectionString").GetString());
        var api = resources.GetProperty("api").GetProperty("env");
        Assert.Equal("{veeky.connectionString}", api.GetProperty("ConnectionStrings__veeky").GetString());
        Assert.Equal("{opensearch.connectionString}", api.GetProperty("ConnectionStrings__search").GetString());
        Assert.Equal("/media", api.GetProperty("Veeky__MediaDirectory").GetString());
        Assert.True(resources.GetProperty("web").GetProperty("bindings").GetProperty("http").GetProperty("external").GetBoolean());
        // No volume: the deployment provisions its own storage (and the shared media share, see the README).
        Assert.All(["postgres", "opensearch", "ollama", "whisper"], name => Assert.False(resources.GetProperty(name).TryGetProperty("volumes", out _)));
    }
}
