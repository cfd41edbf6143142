using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Web;

/// <summary>The web host's <c>POST /upload</c>, which passes the browser's multipart body on to the API.</summary>
public sealed class UploadRelayTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(HttpClient Client, string Token)> SignedInUploaderAsync(WebUiFactory factory)
    {
        var client = factory.CreateBrowserlikeClient();
        await WebPageForms.SignInAsync(client, WebFakeApi.Email, WebFakeApi.Password);
        var page = await client.GetStringAsync("/upload", Ct);
        return (client, WebPageForms.HiddenFields(page)["__RequestVerificationToken"]);
    }

    private static MultipartFormDataContent UploadForm(byte[] file)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent("Quarterly all-hands"), "title" },
            { new StringContent(WebFakeApi.Engineering.Id.ToString()), "categoryId" },
            { new StringContent("revenue, roadmap"), "keywords" },
        };
        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
        form.Add(part, "file", "all-hands.mp4");
        return form;
    }

    private static HttpRequestMessage ScriptUpload(string token, byte[] file)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/upload") { Content = UploadForm(file) };
        request.Headers.Add("RequestVerificationToken", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }

    [Fact]
    public async Task An_upload_reaches_the_api_byte_for_byte_with_the_session_token()
    {
        await using var factory = new WebUiFactory();
        var (client, token) = await SignedInUploaderAsync(factory);
        var file = new byte[300_000];
        Random.Shared.NextBytes(file);

        using var upload = ScriptUpload(token, file);
        var browserContentType = upload.Content!.Headers.ContentType!.ToString();

        using var response = await client.SendAsync(upload, Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal($"/videos/{WebFakeApi.AllHands.Id}", answer.RootElement.GetProperty("location").GetString());

        var sent = Assert.Single(factory.Api.Requests, r => r.Method == HttpMethod.Post && r.Path == "/api/videos");
        Assert.Equal($"Bearer {factory.Api.CurrentAccessToken}", sent.Authorization);
        // Same boundary as the browser's: the body was passed through as it came, not parsed and written anew.
        Assert.Equal(browserContentType, sent.ContentType);
        Assert.True(sent.Body.AsSpan().IndexOf(file) >= 0, "the file's bytes arrive unchanged inside the multipart body");
        Assert.DoesNotContain("__RequestVerificationToken", Encoding.Latin1.GetString(sent.Body));
    }

    [Fact]
    public async Task The_apis_refusal_comes_back_as_its_sentence()
    {
        await using var factory = new WebUiFactory();
        var (client, token) = await SignedInUploaderAsync(factory);

        using var response = await client.SendAsync(ScriptUpload(token, Encoding.UTF8.GetBytes(WebFakeApi.NotAVideoMarker)), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("The file is not a video that ffprobe can read.", problem.RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_plain_form_post_without_script_is_relayed_byte_for_byte_too_and_lands_on_the_video()
    {
        await using var factory = new WebUiFactory();
        var (client, token) = await SignedInUploaderAsync(factory);
        // As the upload page renders it: the token field first, then the fields and the file.
        var form = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" } };
        foreach (var part in UploadForm(Encoding.UTF8.GetBytes("pretend video bytes")))
        {
            form.Add(part);
        }
        var sentByBrowser = await form.ReadAsByteArrayAsync(Ct);

        using var response = await client.PostAsync("/upload", form, Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/videos/{WebFakeApi.AllHands.Id}", response.Headers.Location!.OriginalString);
        var sent = Assert.Single(factory.Api.Requests, r => r.Path == "/api/videos");
        // Passed on as it came (the API ignores the token field), so its length still tells the API the upload's size.
        Assert.Equal(sentByBrowser, sent.Body);
    }

    [Fact]
    public async Task A_plain_form_whose_token_comes_after_the_file_is_refused_before_the_api_sees_it()
    {
        await using var factory = new WebUiFactory();
        var (client, token) = await SignedInUploaderAsync(factory);
        var form = UploadForm(Encoding.UTF8.GetBytes("pretend video bytes"));
        form.Add(new StringContent(token), "__RequestVerificationToken");

        using var response = await client.PostAsync("/upload", form, Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/upload?error=", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.DoesNotContain(factory.Api.Requests, r => r.Path == "/api/videos");
    }

    [Fact]
    public async Task An_upload_without_the_form_token_is_refused_before_the_api_sees_it()
    {
        await using var factory = new WebUiFactory();
        var (client, _) = await SignedInUploaderAsync(factory);

        using var response = await client.SendAsync(ScriptUpload("forged", [1, 2, 3]), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(factory.Api.Requests, r => r.Path == "/api/videos");
    }
}
