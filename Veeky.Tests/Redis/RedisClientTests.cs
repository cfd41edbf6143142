using Veeky.Redis;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Redis;

/// <summary>Veeky's RESP client against a real redis-server.</summary>
public sealed class RedisClientTests(RedisServer server) : IClassFixture<RedisServer>
{
    private static string Key() => $"test:{Guid.NewGuid():N}";

    [Fact]
    public async Task A_value_set_is_read_back_and_gone_once_deleted()
    {
        server.Require();
        await using var client = server.CreateClient();
        var key = Key();

        await client.SetAsync(key, "quarterly revenue — 12:48");
        Assert.Equal("quarterly revenue — 12:48", await client.GetAsync(key));

        Assert.Equal(1, await client.DeleteAsync(key));
        Assert.Null(await client.GetAsync(key));
        Assert.Equal(0, await client.DeleteAsync(key));
    }

    [Fact]
    public async Task A_value_set_with_an_expiry_disappears_after_it()
    {
        server.Require();
        await using var client = server.CreateClient();
        var key = Key();

        await client.SetAsync(key, "short-lived", TimeSpan.FromMilliseconds(200));
        var ttl = await client.ExecuteAsync(["PTTL", key]);
        Assert.InRange(ttl.Integer, 1, 200);

        Assert.True(await Eventually.TrueAsync(async () => await client.GetAsync(key) is null, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Increment_counts_up_from_zero()
    {
        server.Require();
        await using var client = server.CreateClient();
        var key = Key();

        Assert.Equal(1, await client.IncrementAsync(key));
        Assert.Equal(2, await client.IncrementAsync(key));
        Assert.Equal("2", await client.GetAsync(key));
    }

    [Fact]
    public async Task An_error_reply_is_thrown_with_Redis_message_and_the_connection_stays_usable()
    {
        server.Require();
        await using var client = server.CreateClient();
        var key = Key();
        await client.SetAsync(key, "not a number");

        var error = await Assert.ThrowsAsync<RedisException>(() => client.IncrementAsync(key));
        Assert.Equal("ERR value is not an integer or out of range", error.Message);
        Assert.IsNotType<RedisConnectionException>(error);

        var unknown = await Assert.ThrowsAsync<RedisException>(() => client.ExecuteAsync(["NOSUCHCOMMAND"]));
        Assert.StartsWith("ERR unknown command", unknown.Message);

        Assert.Equal("not a number", await client.GetAsync(key));
    }

    [Fact]
    public async Task Pipelined_commands_from_many_tasks_each_get_their_own_answer()
    {
        server.Require();
        await using var client = server.CreateClient();
        var prefix = Key();

        // 32 tasks interleave writes and reads on the one connection; a mismatched reply would return another task's value.
        var mismatches = await Task.WhenAll(Enumerable.Range(0, 32).Select(t => Task.Run(async () =>
        {
            var wrong = 0;
            for (var i = 0; i < 50; i++)
            {
                var key = $"{prefix}:{t}:{i}";
                var value = $"value {t}/{i}";
                await client.SetAsync(key, value);
                var (read, counted) = (client.GetAsync(key), client.IncrementAsync($"{key}:n"));
                if (await read != value || await counted != 1)
                {
                    wrong++;
                }
            }
            return wrong;
        })));

        Assert.All(mismatches, m => Assert.Equal(0, m));
    }

    [Fact]
    public async Task A_cancelled_command_throws_and_the_next_command_gets_its_own_reply()
    {
        server.Require();
        await using var client = server.CreateClient();
        var key = Key();
        await client.SetAsync(key, "after the cancelled one");

        // BLPOP on an empty list holds the reply back for a second: long enough to cancel while it is in flight.
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ExecuteAsync(["BLPOP", Key(), "1"], cancel.Token));

        // Its nil reply still arrives first and must be dropped, not handed to this GET.
        Assert.Equal("after the cancelled one", await client.GetAsync(key));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetAsync(key, new CancellationToken(canceled: true)));
    }

    [Fact]
    public async Task The_database_named_in_the_connection_string_is_selected()
    {
        server.Require();
        await using var db0 = server.CreateClient();
        await using var db3 = server.CreateClient(server.ConnectionString + ",defaultDatabase=3");
        var key = Key();

        await db3.SetAsync(key, "in three");

        Assert.Equal("in three", await db3.GetAsync(key));
        Assert.Null(await db0.GetAsync(key));
    }

    [Fact]
    public async Task An_unreachable_Redis_fails_fast_with_a_connection_error()
    {
        server.Require();
        await using var client = server.CreateClient($"127.0.0.1:{FreePort()}");

        await Assert.ThrowsAsync<RedisConnectionException>(() => client.PingAsync());
        // Inside the backoff window the next command does not even try to connect.
        var again = await Assert.ThrowsAsync<RedisConnectionException>(() => client.PingAsync());
        Assert.Contains("unreachable", again.Message);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
