using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Veeky.Data;
using Veeky.Jobs;
using Veeky.Videos;
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
    private readonly IReadOnlyDictionary<string, string?> settings;
    private Factory? factory;

    public WebAllInOneHost()
        : this(new Dictionary<string, string?>())
    {
    }

    // Private: a class fixture may have one public constructor only.
    private WebAllInOneHost(IReadOnlyDictionary<string, string?> settings) => this.settings = settings;

    /// <summary>A host with extra configuration, e.g. a small <c>Veeky:Upload:MaxBytes</c>; call <see cref="InitializeAsync"/>.</summary>
    public static WebAllInOneHost WithSettings(IReadOnlyDictionary<string, string?> settings) => new(settings);

    /// <summary>Base address of the running host, without a trailing slash, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>The host's services (database, progress broadcaster), for tests that look behind the UI.</summary>
    public IServiceProvider Services => factory?.Services ?? throw new InvalidOperationException("The host is not started.");

    /// <summary>The job queue its indexer claims from, which a test can hold to open a page before indexing starts.</summary>
    public GatedJobQueue Jobs => (GatedJobQueue)Services.GetRequiredService<IJobQueue>();

    /// <summary>Where the host keeps uploads, keyframes and thumbnails (<c>{data}/media</c>).</summary>
    public string MediaDirectory => System.IO.Path.Combine(data.Path, "media");

    /// <summary>A client that talks to the host as a browser without script does: cookies kept, redirects not followed.</summary>
    public HttpClient CreateBrowserlikeClient() =>
        new(new SocketsHttpHandler { CookieContainer = new CookieContainer(), UseCookies = true, AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(BaseUrl + "/"),
            Timeout = TimeSpan.FromMinutes(2),
        };

    /// <summary>A browser-like client signed in to the web UI through its sign-in form.</summary>
    public async Task<HttpClient> SignInToWebAsync(string email, string password)
    {
        var client = CreateBrowserlikeClient();
        using var response = await WebPageForms.SignInAsync(client, email, password);
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.OriginalString.Contains("/login", StringComparison.Ordinal) != false)
        {
            client.Dispose();
            throw new InvalidOperationException($"Signing in as {email} failed: {(int)response.StatusCode}.");
        }
        return client;
    }

    /// <summary>A client of the host's API (<c>/api</c>) holding a bearer token for these credentials.</summary>
    public async Task<HttpClient> SignInToApiAsync(string email, string password)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl + "/"), Timeout = TimeSpan.FromMinutes(2) };
        using var response = await client.PostAsJsonAsync("api/auth/login", new { email, password });
        response.EnsureSuccessStatusCode();
        var token = await response.Content.ReadFromJsonAsync<JsonElement>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("accessToken").GetString());
        return client;
    }

    /// <summary>Creates a category through the API as <paramref name="admin"/>; its id.</summary>
    public static async Task<Guid> CreateCategoryAsync(HttpClient admin, string name)
    {
        using var response = await admin.PostAsJsonAsync("api/categories", new { name });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>A video row put straight into the database, an hour old, without files and without a job: the
    /// indexer leaves it alone, so a test drives its state (and its progress events) itself.</summary>
    public async Task<Video> SeedVideoAsync(Guid categoryId, Guid uploaderId, VideoStatus status, string? error = null)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VeekyDbContext>();
        var at = DateTimeOffset.UtcNow.AddHours(-1);
        var id = Guid.CreateVersion7();
        var video = new Video
        {
            Id = id,
            Title = "Seeded " + id.ToString("N")[^6..],
            CategoryId = categoryId,
            UploaderId = uploaderId,
            Status = status,
            Stage = VideoStage.Transcribing,
            Progress = 0.5,
            Error = error,
            StoragePath = $"videos/{id:N}/original.mp4",
            ContentType = "video/mp4",
            SizeBytes = 1,
            Sha256 = new string('0', 64),
            CreatedAt = at,
            UpdatedAt = at,
        };
        db.Videos.Add(video);
        await db.SaveChangesAsync();
        return video;
    }

    public ValueTask InitializeAsync()
    {
        factory = new Factory(data.Path, settings);
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

    private sealed class Factory(string dataDirectory, IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<App>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("Veeky:DataDirectory", dataDirectory);
            builder.UseSetting("Veeky:BootstrapAdmin:Email", AdminEmail);
            builder.UseSetting("Veeky:BootstrapAdmin:Password", AdminPassword);
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton<SqlJobQueue>();
                services.AddSingleton<IJobQueue>(sp => new GatedJobQueue(sp.GetRequiredService<SqlJobQueue>()));
            });
        }
    }
}
