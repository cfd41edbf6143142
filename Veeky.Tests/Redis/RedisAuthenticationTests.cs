using StackExchange.Redis;
using Veeky.Redis;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Redis;

/// <summary>A Redis started with <c>--requirepass</c>: the password from the connection string is sent with AUTH.</summary>
public sealed class RedisAuthenticationTests
{
    [Fact]
    public async Task The_password_in_the_connection_string_authenticates_and_a_wrong_or_missing_one_is_refused_with_its_reason()
    {
        await using var server = await RedisServer.StartAsync(password: "s3cret-Veeky");

        await using (var redis = await server.ConnectAsync())
        {
            Assert.True(redis.IsConnected);
            await redis.GetDatabase().StringSetAsync("auth:key", "authenticated");
            Assert.Equal("authenticated", (string?)await redis.GetDatabase().StringGetAsync("auth:key"));
        }

        foreach (var refused in new[] { $"127.0.0.1:{server.Port},password=wrong", $"127.0.0.1:{server.Port}" })
        {
            // Refused, yet nothing throws at start: the multiplexer stays up, disconnected, and says why when used.
            await using var redis = await server.ConnectAsync(refused);
            Assert.False(redis.IsConnected);
            var error = await Assert.ThrowsAnyAsync<Exception>(() => redis.GetDatabase().PingAsync());
            Assert.StartsWith("AuthenticationFailure: ", RedisFailureReason.Describe(error));
        }
    }
}
