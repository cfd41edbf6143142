using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Veeky.AppHost.Tests.Infrastructure;

namespace Veeky.AppHost.Tests;

/// <summary>The AppHost on a machine without a container engine: the <c>embedded</c> launch profile runs the
/// all-in-one web host under the dashboard, and the default profile says in one line why it cannot start.</summary>
public sealed class EmbeddedProfileTests
{
    [Fact]
    public async Task The_embedded_profile_runs_only_the_all_in_one_web_host_on_port_5080_with_no_container()
    {
        await using var app = await AppHostModel.BuildAsync("Veeky:AppHost:Edition=Embedded");

        Assert.Equal(["admin-email", "admin-password", "web"], app.Names);
        Assert.DoesNotContain(app.Model.Resources, r => r is ContainerResource);
        var endpoint = Assert.Single(app.Resource("web").Annotations.OfType<EndpointAnnotation>());
        Assert.Equal(5080, endpoint.Port);
        var environment = await app.EnvironmentAsync("web");
        Assert.Equal("{admin-email.value}", environment["Veeky__BootstrapAdmin__Email"]);
        Assert.Equal("{admin-password.value}", environment["Veeky__BootstrapAdmin__Password"]);
        // SQLite in its own data folder, no API elsewhere: Veeky.Web is then the all-in-one host.
        Assert.Contains("Veeky__DataDirectory", environment.Keys);
        Assert.DoesNotContain(environment.Keys, key => key.StartsWith("ConnectionStrings__", StringComparison.Ordinal)
                                                      || key.StartsWith("services__", StringComparison.Ordinal));
    }

    [Fact]
    public void The_distributed_profile_comes_first_so_dotnet_run_takes_it_and_embedded_switches_the_edition()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(
            Path.Combine(AppHostProcess.RepositoryRoot, "Veeky.AppHost", "Properties", "launchSettings.json")));

        var profiles = settings.RootElement.GetProperty("profiles").EnumerateObject().ToList();

        Assert.Equal(["distributed", "embedded"], profiles.Select(p => p.Name));
        Assert.False(profiles[0].Value.GetProperty("environmentVariables").TryGetProperty("Veeky__AppHost__Edition", out _));
        Assert.Equal("Embedded", profiles[1].Value.GetProperty("environmentVariables").GetProperty("Veeky__AppHost__Edition").GetString());
    }

    [Fact]
    public async Task Without_a_container_engine_the_default_profile_says_so_in_one_line_and_names_the_embedded_profile()
    {
        if (ContainerEngine.Unavailable is null)
        {
            Assert.Skip("a container engine answers here, so the distributed edition starts instead");
        }
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        patience.CancelAfter(TimeSpan.FromMinutes(3));

        await using var appHost = AppHostProcess.Start([], new Dictionary<string, string>
        {
            ["Parameters__postgres-password"] = "unused",
            ["Parameters__admin-email"] = "admin@veeky.test",
            ["Parameters__admin-password"] = "unused-password",
        });
        var exitCode = await appHost.WaitForExitAsync(patience.Token);

        Assert.Equal(1, exitCode);
        var line = Assert.Single(appHost.Output.Split('\n'), l => l.Contains("docker info", StringComparison.Ordinal));
        Assert.Contains("dotnet run --project Veeky.AppHost --launch-profile embedded", line);
        Assert.DoesNotContain("Distributed application started", appHost.Output);
    }
}
