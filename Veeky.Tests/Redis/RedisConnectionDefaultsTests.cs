using StackExchange.Redis;
using Veeky.Redis;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Redis;

/// <summary>The StackExchange.Redis connection strings Aspire injects (<c>host:port[,password=…][,ssl=true]</c>), read
/// with Veeky's defaults: an option the string names wins, the rest favour carrying on without Redis.</summary>
public sealed class RedisConnectionDefaultsTests
{
    [Fact]
    public void What_the_connection_string_names_wins_over_Veeky_s_defaults()
    {
        var options = RedisConnectionDefaults.Apply(ConfigurationOptions.Parse(
            "cache.internal:6380,password=p=w,ssl=true,abortConnect=true,defaultDatabase=2,connectTimeout=750,syncTimeout=900,keepAlive=5"));

        Assert.Equal("cache.internal:6380", EndPointCollection.ToString(Assert.Single(options.EndPoints)));
        Assert.Equal("p=w", options.Password);
        Assert.True(options.Ssl);
        Assert.Equal(2, options.DefaultDatabase);
        Assert.Equal(750, options.ConnectTimeout);
        Assert.Equal(900, options.SyncTimeout);
        Assert.Equal(5, options.KeepAlive);
        // Except this one: a Redis that is down at start never stops a Veeky host.
        Assert.False(options.AbortOnConnectFail);
    }

    [Fact]
    public void Without_options_a_host_starts_without_Redis_fails_commands_fast_while_it_is_down_and_waits_briefly_for_it()
    {
        var options = RedisConnectionDefaults.Apply(ConfigurationOptions.Parse("localhost"));

        Assert.Equal("localhost", EndPointCollection.ToString(Assert.Single(options.EndPoints)));
        Assert.Null(options.Password);
        Assert.False(options.Ssl);
        Assert.False(options.AbortOnConnectFail);
        Assert.Same(BacklogPolicy.FailFast, options.BacklogPolicy);
        Assert.Equal(2000, options.ConnectTimeout);
        Assert.Equal(2000, options.SyncTimeout);
        Assert.Equal(15, options.KeepAlive);
    }

    [Fact]
    public async Task The_database_named_in_the_connection_string_is_used()
    {
        await using var server = await RedisServer.StartAsync();
        await using var db0 = await server.ConnectAsync();
        await using var db3 = await server.ConnectAsync(server.ConnectionString + ",defaultDatabase=3");
        var key = $"test:{Guid.NewGuid():N}";

        await db3.GetDatabase().StringSetAsync(key, "in three");

        Assert.Equal("in three", (string?)await db3.GetDatabase().StringGetAsync(key));
        Assert.True((await db0.GetDatabase().StringGetAsync(key)).IsNull);
    }
}
