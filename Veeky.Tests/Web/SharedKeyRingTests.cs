using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Veeky.Api.Identity;
using Veeky.Tests.Infrastructure;
using Veeky.Web;

namespace Veeky.Tests.Web;

/// <summary>The API host and the UI-only host set data protection up the one same way: one application name and one key
/// ring in the data folder, so what one of them sealed (a token, a session cookie) the other opens.</summary>
public sealed class SharedKeyRingTests
{
    [Fact]
    public void What_the_API_host_seals_the_UI_only_host_opens_with_the_key_ring_in_the_data_folder()
    {
        using var data = new TempFolder();
        using var api = Compose(data.Path, builder => builder.AddVeekyAuthentication());
        using var ui = Compose(data.Path, builder => builder.AddVeekyWeb(new Uri("http://api.test/")));

        var sealedValue = Protector(api).Protect("a session");

        Assert.Equal("a session", Protector(ui).Unprotect(sealedValue));
        foreach (var host in new[] { api, ui })
        {
            var keys = Assert.IsType<FileSystemXmlRepository>(host.Services.GetRequiredService<IOptions<KeyManagementOptions>>().Value.XmlRepository);
            Assert.Equal(Path.Combine(data.Path, "keys"), keys.Directory.FullName);
            Assert.Equal("Veeky", host.Services.GetRequiredService<IOptions<DataProtectionOptions>>().Value.ApplicationDiscriminator);
        }
        Assert.Single(Directory.GetFiles(Path.Combine(data.Path, "keys")));
    }

    private static IDataProtector Protector(IHost host) =>
        host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Veeky.Tests.SharedKeyRing");

    private static IHost Compose(string dataDirectory, Action<IHostApplicationBuilder> compose)
    {
        // No default logging or configuration files: only what the test sets.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Veeky:DataDirectory"] = dataDirectory });
        compose(builder);
        return builder.Build();
    }
}
