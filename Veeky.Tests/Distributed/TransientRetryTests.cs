using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Veeky.Tests.Distributed;

/// <summary>The HttpClient resilience default every host gets from <c>AddServiceDefaults</c>: safe requests outlive a
/// replica restart's 503s, unsafe ones and lasting failures come back as they are.</summary>
public sealed class TransientRetryTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly Dictionary<string, int> _calls = [];
    private WebApplication _server = null!;
    private IHost _host = null!;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        var server = WebApplication.CreateSlimBuilder();
        server.WebHost.UseUrls("http://127.0.0.1:0");
        server.Logging.ClearProviders();
        _server = server.Build();
        _server.Run(async context =>
        {
            var key = $"{context.Request.Method} {context.Request.Path}";
            int call;
            lock (_calls) call = _calls[key] = _calls.GetValueOrDefault(key) + 1;
            context.Response.StatusCode = context.Request.Path.Value switch
            {
                // A replica restarting: two 503s, then the answer.
                "/restarting" => call <= 2 ? 503 : 200,
                "/down" => 503,
                "/broken" => 500,
                "/busy" => call == 1 ? 429 : 200,
                // Sign-in paused for one client, as the API throttles failed passwords.
                "/throttled" => 429,
                "/ok" => 200,
                _ => 404,
            };
            if (context.Request.Path == "/busy" && call == 1)
            {
                context.Response.Headers.RetryAfter = "0";
            }
            await context.Response.WriteAsync($"call {call}");
        });
        await _server.StartAsync(Ct);
        var address = _server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.AddServiceDefaults();
        builder.Services.AddHttpClient("test", client => client.BaseAddress = new Uri(address));
        _host = builder.Build();
        _client = _host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("test");
    }

    [Fact]
    public async Task A_get_is_sent_again_through_transient_failures_until_it_is_answered()
    {
        using var response = await _client.GetAsync("/restarting", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("call 3", await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(3, Calls("GET /restarting"));
    }

    [Fact]
    public async Task A_lasting_failure_comes_back_after_the_last_retry()
    {
        using var response = await _client.GetAsync("/down", Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1 + HttpClientResilience.MaxRetryAttempts, Calls("GET /down"));
    }

    [Fact]
    public async Task A_429_is_retried_after_the_wait_the_server_asks_for()
    {
        using var response = await _client.GetAsync("/busy", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, Calls("GET /busy"));
    }

    [Fact]
    public async Task Posts_and_server_errors_are_not_retried()
    {
        using var post = await _client.PostAsync("/restarting", new StringContent("body"), Ct);
        using var error = await _client.GetAsync("/broken", Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, post.StatusCode);
        Assert.Equal(1, Calls("POST /restarting"));
        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Equal(1, Calls("GET /broken"));
    }

    [Fact]
    public async Task Answers_about_one_request_never_open_the_circuit_for_every_other()
    {
        // 150 throttled sign-ins (an attacker guessing passwords) and 150 bugs: the API is up, answering each of them.
        for (var i = 0; i < 150; i++)
        {
            using var throttled = await _client.PostAsync("/throttled", new StringContent("guess"), Ct);
            using var broken = await _client.PostAsync("/broken", new StringContent("body"), Ct);
            Assert.Equal((HttpStatusCode.TooManyRequests, HttpStatusCode.InternalServerError), (throttled.StatusCode, broken.StatusCode));
        }

        // The next person's call goes through rather than failing at once on an open circuit.
        using var response = await _client.GetAsync("/ok", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_server_that_keeps_answering_unavailable_opens_the_circuit()
    {
        // The handler's minimum throughput is 100 calls: the circuit opens within the next ones, failing at once.
        var answered = 0;
        await Assert.ThrowsAsync<Polly.CircuitBreaker.BrokenCircuitException>(async () =>
        {
            for (; answered < 200; answered++)
            {
                using var down = await _client.PostAsync("/down", new StringContent("body"), Ct);
            }
        });

        Assert.InRange(answered, 100, 199);
        Assert.Equal(answered, Calls("POST /down"));
    }

    private int Calls(string key)
    {
        lock (_calls) return _calls.GetValueOrDefault(key);
    }

    public async ValueTask DisposeAsync()
    {
        _host.Dispose();
        await _server.DisposeAsync();
    }
}
