using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Veeky.Contracts;
using Veeky.Web.Api;
using Veeky.Web.Components.Pages;
using Veeky.Web.Sessions;

namespace Veeky.Tests.Web;

/// <summary>The edit page rendered with bunit, its API calls answered by a stub, one of them held back.</summary>
public sealed class VideoEditPageTests : IDisposable
{
    private readonly BunitContext _context = new();

    public void Dispose() => _context.Dispose();

    private static readonly Guid Cooking = Guid.Parse("00000000-0000-0000-0000-00000000c001");

    [Fact]
    public void The_edit_form_is_drawn_once_the_video_has_arrived_even_while_the_categories_are_still_on_their_way()
    {
        var video = new VideoSummary(Guid.CreateVersion7(), "Knife skills", null, ["onion"], Cooking, Guid.NewGuid(), "Completed",
            "Done", 1, null, 12, 640, 360, 1000, "video/mp4", 2, null, "/stream", null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
        var categories = new TaskCompletionSource<HttpResponseMessage>();
        // The video answers at once, the categories later: the renderer draws the page while that second call is pending
        // (in CI the first call sometimes completed before its await, and this draw failed with a NullReferenceException).
        var api = new HttpClient(new StubHandler(request => request.RequestUri!.AbsolutePath.EndsWith("/categories", StringComparison.Ordinal)
            ? categories.Task
            : Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = JsonContent.Create(video, options: VeekyApiClient.Json) })))
        {
            BaseAddress = new Uri("http://api.test/"),
        };
        _context.Services.AddSingleton(new VeekyApiClient(api));
        var admin = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, Guid.NewGuid().ToString()), new Claim(ClaimTypes.Role, WebSession.AdminRole)], "test"));

        var page = _context.Render<VideoEdit>(parameters => parameters
            .Add(p => p.Id, video.Id)
            .AddCascadingValue(new DefaultHttpContext { User = admin }));

        Assert.Equal("Edit video", page.Find("h1").TextContent);
        Assert.Equal("Knife skills", page.Find("#title").GetAttribute("value"));
        categories.SetResult(new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = JsonContent.Create(new[] { new CategorySummary(Cooking, "Cooking", null) }, options: VeekyApiClient.Json),
        });
        page.WaitForAssertion(() => Assert.Equal("Cooking", page.Find("#category option[selected]").TextContent));
    }

    private sealed class StubHandler(Func<HttpRequestMessage, Task<HttpResponseMessage>> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => answer(request);
    }
}
