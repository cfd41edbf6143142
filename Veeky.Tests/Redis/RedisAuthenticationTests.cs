using Veeky.Redis;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Redis;

/// <summary>A Redis started with <c>--requirepass</c>: the password from the connection string is sent with AUTH.</summary>
public sealed class RedisAuthenticationTests
{
    [Fact]
    public async Task The_password_in_the_connection_string_authenticates_and_a_wrong_or_missing_one_is_refused()
    {
        await using var server = await RedisServer.StartAsync(password: "s3cret-Veeky");

        await using (var client = server.CreateClient())
        {
            Assert.Equal("PONG", await client.PingAsync());
        }

        await using (var wrong = server.CreateClient($"127.0.0.1:{server.Port},password=wrong"))
        {
            var error = await Assert.ThrowsAsync<RedisException>(() => wrong.PingAsync());
            Assert.Contains("WRONGPASS", error.Message);
        }

        await using (var none = server.CreateClient($"127.0.0.1:{server.Port}"))
        {
            var error = await Assert.ThrowsAsync<RedisException>(() => none.GetAsync("anything"));
            Assert.StartsWith("NOAUTH", error.Message);
        }
    }
}
