using Veeky.Web.Sessions;

namespace Veeky.Tests.Web;

public sealed class ReturnUrlsTests
{
    [Theory]
    [InlineData("/", "/")]
    [InlineData("/search?q=revenue&categoryId=1", "/search?q=revenue&categoryId=1")]
    [InlineData("/videos/5?t=12.5", "/videos/5?t=12.5")]
    [InlineData("~/admin", "/admin")]
    public void A_local_path_is_honoured(string returnUrl, string expected) =>
        Assert.Equal(expected, ReturnUrls.LocalOrHome(returnUrl));

    [Theory]
    [InlineData("https://evil.example/phish")]
    [InlineData("http:/evil.example")]
    [InlineData("//evil.example/phish")]
    [InlineData("/\\evil.example")]
    [InlineData("~//evil.example")]
    [InlineData("~/\\evil.example")]
    [InlineData("javascript:alert(1)")]
    [InlineData("evil.example")]
    [InlineData("/\r\n/evil.example")]
    [InlineData("")]
    [InlineData(null)]
    public void Anything_but_a_local_path_goes_home(string? returnUrl) =>
        Assert.Equal("/", ReturnUrls.LocalOrHome(returnUrl));
}
