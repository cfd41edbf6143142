using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Veeky.AppHost.Tests.Infrastructure;

/// <summary>
/// The AppHost's application model, built but never started: what the AppHost declares, checked without a container
/// engine. Parameters get values so nothing waits for input.
/// </summary>
public sealed class AppHostModel : IAsyncDisposable
{
    private readonly DistributedApplication _app;

    private AppHostModel(DistributedApplication app)
    {
        _app = app;
        Model = app.Services.GetRequiredService<DistributedApplicationModel>();
    }

    public DistributedApplicationModel Model { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Gives a resource's endpoint an address, as DCP does on start, so its URL can be resolved.</summary>
    public void Allocate(string name, string endpointName, int port)
    {
        var endpoint = Resource(name).Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == endpointName);
        endpoint.AllocatedEndpoint = new AllocatedEndpoint(endpoint, "localhost", port, targetPortExpression: null!);
    }

    /// <summary>Builds the AppHost with these settings (<c>Veeky:AppHost:…=value</c>) added to test parameter values.</summary>
    public static async Task<AppHostModel> BuildAsync(params string[] settings)
    {
        string[] args =
        [
            "Parameters:postgres-password=model-test-postgres",
            "Parameters:admin-email=admin@veeky.test",
            "Parameters:admin-password=model-test-password",
            .. settings,
        ];
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Veeky_AppHost>(args,
            TestContext.Current.CancellationToken);
        return new AppHostModel(await builder.BuildAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>The names of the resources the AppHost declares, without the <c>{project}-rebuilder</c> helpers Aspire
    /// adds for the dashboard's rebuild command.</summary>
    public IReadOnlyList<string> Names =>
        Model.Resources.Select(r => r.Name).Where(n => !n.EndsWith("-rebuilder", StringComparison.Ordinal)).Order().ToList();

    public IResource Resource(string name) => Assert.Single(Model.Resources, r => r.Name == name);

    public T Resource<T>(string name) where T : IResource => Assert.IsType<T>(Resource(name), exactMatch: false);

    /// <summary>A resource's environment as the publish output writes it: references stay expressions such as
    /// <c>{veeky.connectionString}</c>, so nothing needs an allocated endpoint.</summary>
    public async Task<Dictionary<string, string>> EnvironmentAsync(string name) =>
#pragma warning disable CS0618 // The one-call form Aspire's own tests use; ExecutionConfigurationBuilder needs a logger and an execution context for the same answer.
        await Resource<IResourceWithEnvironment>(name).GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Publish);
#pragma warning restore CS0618

    /// <summary>The names of the resources this one waits for.</summary>
    public IReadOnlyList<string> WaitsFor(string name) =>
        Resource(name).Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name).Order().ToList();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
