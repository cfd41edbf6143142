using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Veeky.Search;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Api;

/// <summary>A host whose search index is still loading its vectors: alive at once, and honest about it in /health.</summary>
public sealed class SearchIndexLoadingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task While_the_vectors_load_alive_answers_and_health_names_the_search_index_as_degraded_then_healthy_once_loaded()
    {
        var gate = new VectorLoadGate();
        await using var factory = new HeldLoadFactory(gate);
        var client = factory.CreateClient();

        // The load is held for as long as the test likes, so this is the state of any host with a large index.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/alive", Ct)).StatusCode);
        var loading = await SearchCheckAsync(client);
        Assert.Equal("Degraded", loading.GetProperty("status").GetString());
        Assert.Contains("loading its vectors", loading.GetProperty("description").GetString());

        gate.Open();
        await factory.Services.GetRequiredService<SqliteSearchIndex>().WhenVectorsLoadedAsync(Ct);

        var loaded = await SearchCheckAsync(client);
        Assert.Equal("Healthy", loaded.GetProperty("status").GetString());
    }

    private static async Task<JsonElement> SearchCheckAsync(HttpClient client)
    {
        var health = await client.GetFromJsonAsync<JsonElement>("/health", Ct);
        return health.GetProperty("checks").GetProperty("search");
    }

    private sealed class HeldLoadFactory(VectorLoadGate gate) : ApiFactory
    {
        protected override void ConfigureTestServices(IWebHostBuilder builder) =>
            builder.ConfigureTestServices(services => services.AddSingleton(gate));
    }
}
