using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Veeky.Web.Api;
using Veeky.Web.Components;
using Veeky.Web.Media;
using Veeky.Web.Uploads;

namespace Veeky.Tests.Infrastructure;

/// <summary>
/// The web host in its UI-only (distributed) shape, its API replaced by <see cref="WebFakeApi"/>. The marker type is
/// the UI's <see cref="App"/> component: both Veeky.Web and Veeky.Api have a <c>Program</c> class.
/// </summary>
public sealed class WebUiFactory : WebApplicationFactory<App>
{
    private readonly TempFolder data = new("veeky-web-ui");

    public WebFakeApi Api { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting(ApiLocation.BaseUrlSetting, "http://api.veeky.test/");
        builder.UseSetting("Veeky:DataDirectory", data.Path);
        builder.ConfigureTestServices(services =>
        {
            services.AddHttpClient<VeekyApiClient>().ConfigurePrimaryHttpMessageHandler(() => new SharedHandler(Api));
            services.AddHttpClient<UploadProxy>().ConfigurePrimaryHttpMessageHandler(() => new SharedHandler(Api));
            services.AddHttpClient<MediaRelay>().ConfigurePrimaryHttpMessageHandler(() => new SharedHandler(Api));
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        data.Dispose();
    }

    /// <summary>A client that keeps cookies but does not follow redirects, so tests see where they point.</summary>
    public HttpClient CreateBrowserlikeClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Lets the client factory dispose its handler chain without disposing the shared fake.</summary>
    private sealed class SharedHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override void Dispose(bool disposing)
        {
            // The fake outlives every handler chain the client factory builds and retires.
        }
    }
}
