using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Veeky;

namespace Veeky.Bench;

/// <summary>One Veeky.Api replica as the API host wires it (core + API, real Kestrel on a free loopback port), on the
/// shared database, media folder and Redis.</summary>
internal sealed class ApiReplica : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ApiReplica(WebApplication app) => _app = app;

    public Uri Url => new(_app.Urls.First());

    public IServiceProvider Services => _app.Services;

    public static async Task<ApiReplica> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ApplicationName = "Veeky.Api" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddServiceDefaults();
        builder.AddVeekyCore();
        builder.AddVeekyApi();
        var app = builder.Build();
        app.MapVeekyApi();
        await app.StartAsync();
        return new ApiReplica(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
