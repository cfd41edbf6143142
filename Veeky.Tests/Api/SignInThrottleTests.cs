using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Veeky.Api.Identity;

namespace Veeky.Tests.Api;

/// <summary>Which failed sign-ins count together: one bucket per IPv4 address, per IPv6 /64, refilled by whole attempts.</summary>
public sealed class SignInThrottleTests
{
    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    public void Clients_are_counted_by_ipv4_address_or_ipv6_slash_64(string address, string key)
    {
        Assert.Equal(key, SignInThrottle.ClientKey(At(address)));
    }

    [Fact]
    public void After_the_burst_of_failures_the_client_waits_while_another_does_not()
    {
        using var throttle = new SignInThrottle(Options.Create(new SignInThrottleOptions { FailureBurst = 3, FailureRefill = TimeSpan.FromMinutes(1) }));
        var guesser = At("198.51.100.1");

        var answers = new List<TimeSpan?>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add(throttle.Refusal(guesser));
            throttle.RecordFailure(guesser);
        }

        Assert.Equal([null, null, null, TimeSpan.FromMinutes(1)], answers);
        Assert.Null(throttle.Refusal(At("2001:db8:1:2::1")));
    }

    private static HttpContext At(string address) =>
        new DefaultHttpContext { Connection = { RemoteIpAddress = IPAddress.Parse(address) } };
}
