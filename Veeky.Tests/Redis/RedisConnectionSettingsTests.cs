using Veeky.Redis;

namespace Veeky.Tests.Redis;

/// <summary>The StackExchange.Redis-style connection strings Aspire injects.</summary>
public sealed class RedisConnectionSettingsTests
{
    [Fact]
    public void Aspire_connection_string_gives_host_port_password_and_tls()
    {
        var settings = RedisConnectionSettings.Parse("cache.internal:6380,password=p=w,ssl=true,abortConnect=false,defaultDatabase=2,connectTimeout=750");

        Assert.Equal("cache.internal", settings.Host);
        Assert.Equal(6380, settings.Port);
        Assert.Equal("p=w", settings.Password);
        Assert.True(settings.Ssl);
        Assert.Equal(2, settings.Database);
        Assert.Equal(TimeSpan.FromMilliseconds(750), settings.ConnectTimeout);
    }

    [Fact]
    public void A_bare_host_uses_the_default_port_without_password_or_tls()
    {
        var settings = RedisConnectionSettings.Parse("localhost");

        Assert.Equal(("localhost", 6379), (settings.Host, settings.Port));
        Assert.Null(settings.Password);
        Assert.False(settings.Ssl);
        Assert.Equal(0, settings.Database);
    }

    [Fact]
    public void An_IPv6_endpoint_keeps_its_colons()
    {
        var settings = RedisConnectionSettings.Parse("[::1]:7000,password=x");

        Assert.Equal(("::1", 7000), (settings.Host, settings.Port));
    }

    [Fact]
    public void A_connection_string_without_an_endpoint_is_refused_with_a_reason()
    {
        var error = Assert.Throws<FormatException>(() => RedisConnectionSettings.Parse("password=x"));
        Assert.Contains("host:port", error.Message);
    }
}
