using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Veeky.Web.Components;

namespace Veeky.Tests.Infrastructure;

/// <summary>
/// The all-in-one host (UI, API and indexer in one process) on a real Kestrel server at a free loopback port, with
/// its data in a temp folder, for a real browser to visit. TestServer cannot serve a browser.
/// </summary>
public sealed class WebAllInOneHost : IAsyncLifetime
{
    public const string AdminEmail = "admin@veeky.test";
    public const string AdminPassword = "Browser-Test-Passw0rd!";

    private readonly TempFolder data = new("veeky-web-host");
    private Factory? factory;

    /// <summary>Base address of the running host, without a trailing slash, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    public ValueTask InitializeAsync()
    {
        factory = new Factory(data.Path);
        factory.UseKestrel(0);
        factory.StartServer();
        var addresses = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First().TrimEnd('/');
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (factory is not null)
        {
            await factory.DisposeAsync();
        }
        data.Dispose();
    }

    private sealed class Factory(string dataDirectory) : WebApplicationFactory<App>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("Veeky:DataDirectory", dataDirectory);
            builder.UseSetting("Veeky:BootstrapAdmin:Email", AdminEmail);
            builder.UseSetting("Veeky:BootstrapAdmin:Password", AdminPassword);
        }
    }
}
