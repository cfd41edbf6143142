using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Veeky.Data;

namespace Veeky.Tests.Infrastructure;

/// <summary>
/// The Veeky.Api host in memory, on its own temp data folder (SQLite, search index and media), with a bootstrap admin
/// from settings; on PostgreSQL and Redis instead when the storage switch is on (<see cref="TestStorage"/>). <see cref="Veeky.Api.ApiOptions"/> only names the API's assembly: Veeky.Web has a Program class too.
/// </summary>
public class ApiFactory : WebApplicationFactory<Veeky.Api.ApiOptions>
{
    public const string AdminEmail = "admin@test.local";
    public const string AdminPassword = "Admin-Passw0rd!";

    private readonly bool _ownsData;
    private readonly TestStorage? _storage;

    /// <param name="dataDirectory">An existing data folder to start on (a restart); a new temp folder when null.</param>
    /// <param name="settings">Extra configuration, e.g. <c>Veeky:Upload:MaxBytes</c>; a null value removes a default.</param>
    public ApiFactory(string? dataDirectory = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        _ownsData = dataDirectory is null;
        DataDirectory = dataDirectory ?? new TempFolder("veeky-api").Path;
        Settings = new Dictionary<string, string?>
        {
            ["Veeky:DataDirectory"] = DataDirectory,
            ["Veeky:BootstrapAdmin:Email"] = AdminEmail,
            ["Veeky:BootstrapAdmin:Password"] = AdminPassword,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            Settings[key] = value;
        }
        // Last, so a caller's own database or Redis (a replica of another host) wins over the switch.
        _storage = TestStorage.Apply(DataDirectory, Settings);
    }

    public string DataDirectory { get; }

    public string MediaDirectory => Path.Combine(DataDirectory, "media");

    public Dictionary<string, string?> Settings { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        ConfigureTestServices(builder);
    }

    /// <summary>Hook for fixtures that swap services (a log sink, a fake model).</summary>
    protected virtual void ConfigureTestServices(IWebHostBuilder builder)
    {
    }

    /// <summary>A fresh database context on the host's database, for arranging and checking rows directly.</summary>
    /// <summary>A client of this host holding a bearer token for these credentials.</summary>
    public async Task<HttpClient> SignInAsync(string email, string password)
    {
        var client = CreateClient();
        var login = await client.PostAsJsonAsync("/api/auth/login", new { email, password });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>POSTs <paramref name="body"/> to <paramref name="url"/> as <paramref name="client"/> (a category, a user)
    /// and returns the created item's id.</summary>
    public static async Task<Guid> CreateAsync(HttpClient client, string url, object body)
    {
        var response = await client.PostAsJsonAsync(url, body);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public VeekyDbContext CreateDbContext() => new(Services.GetRequiredService<DatabaseProvider>().CreateOptions());

    /// <summary>Every file under the media folder, relative to it.</summary>
    public IReadOnlyList<string> MediaFiles() =>
        Directory.Exists(MediaDirectory)
            ? Directory.EnumerateFiles(MediaDirectory, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(MediaDirectory, f)).Order().ToList()
            : [];

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_storage is not null)
        {
            await _storage.DisposeAsync();
        }
        if (_ownsData)
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // SQLite may hold the file a moment longer; temp folders are cleaned by the OS eventually.
            }
        }
        GC.SuppressFinalize(this);
    }
}
