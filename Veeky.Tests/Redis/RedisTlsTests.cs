using Microsoft.Extensions.Logging.Abstractions;
using Veeky.Redis;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Redis;

/// <summary><c>ssl=true</c> in the connection string: the client speaks TLS and checks the server's certificate.</summary>
public sealed class RedisTlsTests
{
    [Fact]
    public async Task With_ssl_the_client_talks_TLS_to_a_server_it_trusts_and_refuses_one_it_does_not()
    {
        await using var server = await RedisServer.StartAsync(password: "tls-secret", tls: true);
        var settings = server.Settings;
        Assert.True(settings.Ssl);

        var trusting = settings with
        {
            CertificateValidation = (_, certificate, _, _) => certificate?.GetCertHashString() == server.Certificate!.GetCertHashString(),
        };
        await using (var client = new RedisClient(trusting, NullLogger<RedisClient>.Instance))
        {
            await client.SetAsync("tls:key", "over TLS");
            Assert.Equal("over TLS", await client.GetAsync("tls:key"));
        }

        // The self-signed certificate is in no trust store: the system's validation must refuse it.
        await using (var client = new RedisClient(settings, NullLogger<RedisClient>.Instance))
        {
            var error = await Assert.ThrowsAsync<RedisConnectionException>(() => client.PingAsync());
            Assert.Contains("Cannot connect", error.Message);
        }
    }
}
