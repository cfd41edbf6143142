using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Api;

/// <summary><c>Veeky:ForwardedHeaders</c>: forwarded client addresses are believed from the configured proxies only,
/// and a setting that is not an address stops the host with a sentence naming it.</summary>
public sealed class TrustedProxiesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_configured_proxy_is_believed_so_each_client_behind_it_has_its_own_sign_in_budget()
    {
        await using var factory = new ApiFactory(settings: new Dictionary<string, string?>
        {
            ["Veeky:ForwardedHeaders:KnownProxies:0"] = "192.0.2.10",
        });

        var statuses = new List<int>();
        for (var i = 0; i < 11; i++)
        {
            statuses.Add(await FailedSignInAsync(factory, from: "192.0.2.10", forwardedFor: $"203.0.113.{i + 1}"));
        }
        var viaOtherProxy = new List<int>();
        for (var i = 0; i < 11; i++)
        {
            viaOtherProxy.Add(await FailedSignInAsync(factory, from: "192.0.2.11", forwardedFor: $"203.0.113.{i + 1}"));
        }

        Assert.All(statuses, s => Assert.Equal((int)HttpStatusCode.Unauthorized, s));
        // 192.0.2.11 is not configured: its clients are all counted as 192.0.2.11.
        Assert.Equal((int)HttpStatusCode.TooManyRequests, viaOtherProxy[10]);
    }

    [Theory]
    [InlineData("KnownProxies", "10.0.0.300")]
    [InlineData("KnownNetworks", "10.0.0.0/33")]
    public async Task A_setting_that_is_not_an_address_stops_the_host_with_a_sentence_naming_it(string setting, string value)
    {
        await using var factory = new ApiFactory(settings: new Dictionary<string, string?>
        {
            [$"Veeky:ForwardedHeaders:{setting}:0"] = value,
        });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        var cause = error is AggregateException { InnerException: { } inner } ? inner : error;
        // The whole exception in the message: a different failure at start must say what it was.
        var validation = cause as OptionsValidationException ?? throw new Xunit.Sdk.XunitException($"Expected the options validation to stop the host, got: {error}");
        Assert.Contains($"Veeky:ForwardedHeaders:{setting} has '{value}'", validation.Message);
        await Task.CompletedTask;
    }

    private static async Task<int> FailedSignInAsync(ApiFactory factory, string from, string forwardedFor)
    {
        using var client = new HttpClient(factory.Server.CreateHandler(c => c.Connection.RemoteIpAddress = IPAddress.Parse(from)))
        {
            BaseAddress = factory.Server.BaseAddress,
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login")
        {
            Content = JsonContent.Create(new { email = ApiFactory.AdminEmail, password = "Wrong-Passw0rd!" }),
        };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return (int)(await client.SendAsync(request, Ct)).StatusCode;
    }
}
