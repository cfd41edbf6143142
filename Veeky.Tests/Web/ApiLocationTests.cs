using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Veeky.Web.Api;

namespace Veeky.Tests.Web;

public sealed class ApiLocationTests
{
    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();

    [Fact]
    public void Without_a_configured_api_the_host_is_all_in_one() =>
        Assert.Null(ApiLocation.FromConfiguration(Configuration()));

    [Fact]
    public void The_explicit_setting_wins_over_service_discovery() =>
        Assert.Equal(new Uri("http://api.internal:8080"), ApiLocation.FromConfiguration(Configuration(
            ("services:api:http:0", "http://discovered:5000"), (ApiLocation.BaseUrlSetting, "http://api.internal:8080"))));

    [Fact]
    public void Aspire_service_discovery_prefers_https() =>
        Assert.Equal(new Uri("https://api:7001"), ApiLocation.FromConfiguration(Configuration(
            ("services:api:http:0", "http://api:5000"), ("services:api:https:0", "https://api:7001"))));

    [Fact]
    public void A_setting_that_is_not_a_url_fails_with_a_sentence()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            ApiLocation.FromConfiguration(Configuration((ApiLocation.BaseUrlSetting, "api:8080/x y"))));
        Assert.Contains(ApiLocation.BaseUrlSetting, error.Message);
    }

    [Theory]
    [InlineData("http://[::]:8080", "http://localhost:8080/")]
    [InlineData("http://0.0.0.0:5000", "http://localhost:5000/")]
    [InlineData("http://+:5000", "http://localhost:5000/")]
    [InlineData("http://127.0.0.1:41234", "http://127.0.0.1:41234/")]
    public void The_all_in_one_host_calls_itself_at_a_loopback_address(string bound, string expected)
    {
        var location = new ApiLocation(null, new BoundServer("https://127.0.0.1:7443", bound));
        Assert.Equal(expected, location.BaseAddress.AbsoluteUri);
    }

    [Fact]
    public void A_configured_api_gets_a_trailing_slash_so_relative_paths_append() =>
        Assert.Equal("http://api:8080/veeky/", new ApiLocation(new Uri("http://api:8080/veeky"), new BoundServer()).BaseAddress.AbsoluteUri);

    /// <summary>A server that reports bound addresses and serves nothing.</summary>
    private sealed class BoundServer : IServer
    {
        public BoundServer(params string[] addresses)
        {
            var feature = new ServerAddressesFeature();
            foreach (var address in addresses)
            {
                feature.Addresses.Add(address);
            }
            Features.Set<IServerAddressesFeature>(feature);
        }

        public IFeatureCollection Features { get; } = new FeatureCollection();

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull =>
            Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
        }
    }
}
