using System.Net;
using System.Text.RegularExpressions;
using Veeky.Api.Search;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Web;

/// <summary>The web forms bound their fields by the API's own limits, so the UI neither refuses what the API takes nor
/// lets a person type what the API will refuse.</summary>
public sealed partial class FormLimitsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_ask_box_takes_a_question_as_long_as_the_api_accepts()
    {
        await using var factory = new WebUiFactory();
        var client = factory.CreateBrowserlikeClient();
        using (var signIn = await WebPageForms.SignInAsync(client, WebFakeApi.Email, WebFakeApi.Password))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }

        var html = await client.GetStringAsync("/search?q=revenue", Ct);

        var maxLength = AskQuestionMaxLength().Match(html);
        Assert.True(maxLength.Success, "The search page has no ask box with a maxlength.");
        Assert.Equal(AskEndpoint.MaxQuestionLength, int.Parse(maxLength.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(AskEndpoint.MaxQuestionLength, Veeky.Web.Ask.AskEndpoints.MaxQuestionLength);
    }

    [GeneratedRegex("""<input id="ask-question"[^>]*\smaxlength="(\d+)""")]
    private static partial Regex AskQuestionMaxLength();
}
