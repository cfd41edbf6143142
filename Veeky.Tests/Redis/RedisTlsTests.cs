using StackExchange.Redis;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Redis;

/// <summary><c>ssl=true</c> in the connection string: the client speaks TLS and checks the server's certificate.</summary>
public sealed class RedisTlsTests
{
    [Fact]
    public async Task With_ssl_the_client_talks_TLS_to_a_server_it_trusts_and_refuses_one_it_does_not()
    {
        await using var server = await RedisServer.StartAsync(password: "tls-secret", tls: true);
        Assert.True(ConfigurationOptions.Parse(server.ConnectionString).Ssl);

        await using (var trusting = await server.ConnectAsync(configure: options => options.CertificateValidation +=
            (_, certificate, _, _) => certificate?.GetCertHashString() == server.Certificate!.GetCertHashString()))
        {
            await trusting.GetDatabase().StringSetAsync("tls:key", "over TLS");
            Assert.Equal("over TLS", (string?)await trusting.GetDatabase().StringGetAsync("tls:key"));
        }

        // The self-signed certificate is in no trust store: the system's validation must refuse it.
        await using var refusing = await server.ConnectAsync();
        Assert.False(refusing.IsConnected);
        await Assert.ThrowsAsync<RedisConnectionException>(() => refusing.GetDatabase().PingAsync());
    }
}
