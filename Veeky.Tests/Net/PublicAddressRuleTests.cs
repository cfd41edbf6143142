using System.Net;
using Veeky.Net;

namespace Veeky.Tests.Net;

/// <summary>The rule for addresses Veeky may call on a user's say-so (webhooks, import by URL).</summary>
public sealed class PublicAddressRuleTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.10.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fe80::1")]
    [InlineData("fd00::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("64:ff9b::a00:1")]
    [InlineData("2002:c0a8:101::1")]
    public void Loopback_link_local_private_and_reserved_addresses_are_not_public(string address) =>
        Assert.False(PublicAddressRule.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("172.15.0.1")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    public void Globally_routable_addresses_are_public(string address) =>
        Assert.True(PublicAddressRule.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("http://127.0.0.1:8080/hook")]
    [InlineData("http://localhost/hook")]
    [InlineData("https://[::1]/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("ftp://example.com/hook")]
    [InlineData("file:///etc/passwd")]
    public async Task A_url_that_is_not_http_or_reaches_a_private_address_is_refused_with_a_sentence(string url)
    {
        var refusal = await PublicAddressRule.RefusalAsync(new Uri(url), TestContext.Current.CancellationToken);

        Assert.False(string.IsNullOrWhiteSpace(refusal));
    }

    [Fact]
    public async Task A_public_literal_address_is_accepted()
    {
        Assert.Null(await PublicAddressRule.RefusalAsync(new Uri("https://8.8.8.8/hook"), TestContext.Current.CancellationToken));
    }
}
