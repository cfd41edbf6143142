using System.Net;
using Veeky.Api.Security;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Api;

/// <summary>The API host's answers carry a strict Content-Security-Policy, nosniff, a Referrer-Policy and no framing,
/// errors included.</summary>
[Collection(ApiCollection.Name)]
public sealed class SecurityHeadersTests(ApiFixture api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/health")]
    [InlineData("/api/auth/me")]
    [InlineData("/api/videos")]
    [InlineData("/no-such-path")]
    public async Task Every_api_answer_carries_the_security_headers(string path)
    {
        using var response = await api.Anonymous().GetAsync(path, Ct);

        Assert.Equal(SecurityHeaders.ApiPolicy, Header(response, "Content-Security-Policy"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("same-origin", Header(response, "Referrer-Policy"));
    }

    [Fact]
    public async Task A_signed_in_callers_answers_carry_them_too()
    {
        using var response = await api.Admin.Client.GetAsync("/api/categories", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(SecurityHeaders.ApiPolicy, Header(response, "Content-Security-Policy"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
