using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Api;

/// <summary>A video outside the caller's categories does not exist for them: 404 on every endpoint, never 403.</summary>
[Collection(ApiCollection.Name)]
public sealed class VideoVisibilityTests(ApiFixture api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string> Endpoints => new()
    {
        { "GET", "/api/videos/{id}" },
        { "GET", "/api/videos/{id}/status" },
        { "GET", "/api/videos/{id}/segments" },
        { "GET", "/api/videos/{id}/segments/0/keyframe" },
        { "GET", "/api/videos/{id}/stream" },
        { "GET", "/api/videos/{id}/thumbnail" },
        { "GET", "/api/videos/{id}/events" },
        { "PUT", "/api/videos/{id}" },
        { "POST", "/api/videos/{id}/reindex" },
        { "DELETE", "/api/videos/{id}" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task A_video_outside_the_callers_categories_is_404_for_users_and_editors(string method, string template)
    {
        var hidden = await api.SeedVideoAsync(api.Hidden, api.Admin.Id, "Hidden video");

        foreach (var actor in new[] { api.Reader, api.Outsider, api.Editor })
        {
            using var request = Request(method, template.Replace("{id}", hidden.Id.ToString()));
            var response = await actor.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        // Still there, untouched, for someone who can see it.
        Assert.Equal(HttpStatusCode.OK, (await api.Admin.Client.GetAsync($"/api/videos/{hidden.Id}", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_range_request_for_a_hidden_stream_is_404_not_206()
    {
        var hidden = await api.SeedVideoAsync(api.Hidden, api.Admin.Id);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/videos/{hidden.Id}/stream");
        request.Headers.Range = new RangeHeaderValue(0, 99);

        var response = await api.Reader.Client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Hidden_videos_are_absent_from_lists()
    {
        var hidden = await api.SeedVideoAsync(api.Hidden, api.Admin.Id, "Listed only for admins");
        var visible = await api.SeedVideoAsync(api.Visible, api.Editor.Id, "Listed for the visible category");

        async Task<Guid[]> ListAsync(Actor actor) =>
            (await actor.Client.GetFromJsonAsync<JsonElement>("/api/videos?pageSize=100", Ct))
                .GetProperty("items").EnumerateArray().Select(v => v.GetProperty("id").GetGuid()).ToArray();

        Assert.Contains(hidden.Id, await ListAsync(api.Admin));
        Assert.DoesNotContain(hidden.Id, await ListAsync(api.Reader));
        Assert.Contains(visible.Id, await ListAsync(api.Reader));
        Assert.Empty(await ListAsync(api.Outsider));
        var filtered = await api.Reader.Client.GetFromJsonAsync<JsonElement>($"/api/videos?categoryId={api.Hidden}", Ct);
        Assert.Equal(0, filtered.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Search_never_returns_a_moment_of_a_hidden_video()
    {
        var hidden = await api.SeedVideoAsync(api.Hidden, api.Admin.Id, "Zanzibar secret plans");
        var visible = await api.SeedVideoAsync(api.Visible, api.Editor.Id, "Zanzibar public harbour");

        async Task<List<Guid>> FoundAsync(Actor actor) =>
            (await actor.Client.GetFromJsonAsync<JsonElement>("/api/search?q=zanzibar", Ct))
                .GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("videoId").GetGuid()).ToList();

        // The search finds the hidden video for someone who may see it, so its absence below is the scope at work.
        Assert.Contains(hidden.Id, await FoundAsync(api.Admin));
        foreach (var actor in new[] { api.Reader, api.Editor })
        {
            var found = await FoundAsync(actor);
            Assert.DoesNotContain(hidden.Id, found);
            Assert.Contains(visible.Id, found);
        }
        Assert.DoesNotContain(hidden.Id, await FoundAsync(api.Outsider));
    }

    private HttpRequestMessage Request(string method, string path)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "PUT")
        {
            request.Content = JsonContent.Create(new { title = "Taken over", categoryId = api.Visible });
        }
        return request;
    }
}
