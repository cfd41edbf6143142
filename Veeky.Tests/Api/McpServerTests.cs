using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Veeky.Api;
using Veeky.Api.Mcp;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Api;

/// <summary>The MCP server at /mcp, driven by the official MCP C# client: a token or API key is required, and every
/// tool sees exactly what its caller may see.</summary>
[Collection(ApiCollection.Name)]
public sealed class McpServerTests(ApiFixture api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>An MCP client on the test host sending <paramref name="bearer"/> (a token or an API key).</summary>
    private async Task<McpClient> ConnectAsync(string bearer)
    {
        var http = api.Factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        var transport = new HttpClientTransport(
            new HttpClientTransportOptions { Endpoint = new Uri(http.BaseAddress!, "/mcp"), TransportMode = HttpTransportMode.StreamableHttp },
            http, loggerFactory: null, ownsHttpClient: true);
        return await McpClient.CreateAsync(transport, cancellationToken: Ct);
    }

    private async Task<string> ReaderKeyAsync()
    {
        var response = await api.Reader.Client.PostAsJsonAsync("/api/auth/keys", new { name = "assistant" }, Ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("key").GetString()!;
    }

    private static string BearerOf(Actor actor) => actor.Client.DefaultRequestHeaders.Authorization!.Parameter!;

    private static async Task<T> CallAsync<T>(McpClient client, string tool, Dictionary<string, object?> arguments)
    {
        var result = await client.CallToolAsync(tool, arguments, cancellationToken: Ct);
        Assert.True(result.IsError is not true, Text(result));
        return JsonSerializer.Deserialize<T>(Text(result), ApiFixture.Json)!;
    }

    private static string Text(CallToolResult result) =>
        string.Concat(result.Content.OfType<TextContentBlock>().Select(t => t.Text));

    [Fact]
    public async Task Without_a_token_or_key_the_mcp_endpoint_answers_401()
    {
        var initialize = new StringContent(
            """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"test","version":"1"}}}""",
            Encoding.UTF8, "application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = initialize };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");

        var response = await api.Anonymous().SendAsync(request, Ct);
        var revoked = await Assert.ThrowsAnyAsync<HttpRequestException>(() => ConnectAsync("vk_revoked-or-never-made"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
    }

    [Fact]
    public async Task The_tools_are_search_moments_get_transcript_and_list_videos_and_ask_only_with_a_chat_model()
    {
        await using var client = await ConnectAsync(BearerOf(api.Reader));

        var tools = await client.ListToolsAsync(cancellationToken: Ct);

        Assert.Equal(["get_transcript", "list_videos", "search_moments"], tools.Select(t => t.Name).Order());
    }

    [Fact]
    public async Task The_tools_ask_only_for_their_arguments_never_for_the_services_they_use()
    {
        await using var client = await ConnectAsync(BearerOf(api.Reader));

        var tools = await client.ListToolsAsync(cancellationToken: Ct);

        var arguments = tools.ToDictionary(t => t.Name,
            t => string.Join(", ", t.JsonSchema.GetProperty("properties").EnumerateObject().Select(p => p.Name)));
        Assert.Equal("query, limit, categoryId, videoId", arguments["search_moments"]);
        Assert.Equal("videoId", arguments["get_transcript"]);
        Assert.Equal("categoryId, title, page, pageSize", arguments["list_videos"]);
    }

    [Fact]
    public async Task Search_by_a_user_whose_category_is_hidden_never_returns_that_video()
    {
        var hidden = await api.SeedVideoAsync(api.Hidden, api.Admin.Id, title: "Quokka migration hidden");
        var visible = await api.SeedVideoAsync(api.Visible, api.Editor.Id, title: "Quokka migration visible");
        await using var reader = await ConnectAsync(await ReaderKeyAsync());
        await using var admin = await ConnectAsync(BearerOf(api.Admin));
        var arguments = new Dictionary<string, object?> { ["query"] = "quokka", ["limit"] = 50 };

        var readerMoments = await CallAsync<List<McpMoment>>(reader, "search_moments", arguments);
        var adminMoments = await CallAsync<List<McpMoment>>(admin, "search_moments", arguments);

        Assert.Contains(readerMoments, m => m.VideoId == visible.Id);
        Assert.DoesNotContain(readerMoments, m => m.VideoId == hidden.Id);
        // The same search finds the hidden video for someone who may see it: the filter, not the query, kept it out.
        Assert.Contains(adminMoments, m => m.VideoId == hidden.Id);
        var moment = readerMoments.First(m => m.VideoId == visible.Id);
        Assert.Equal("Quokka migration visible", moment.VideoTitle);
        Assert.Equal($"/videos/{visible.Id}?t={moment.Start.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)}", moment.Link);
        Assert.True(moment.End > moment.Start);
    }

    [Fact]
    public async Task Search_narrowed_to_a_hidden_video_finds_nothing_and_bad_input_is_a_tool_error()
    {
        var hidden = await api.SeedVideoAsync(api.Hidden, api.Admin.Id, title: "Wombat census");
        await using var reader = await ConnectAsync(BearerOf(api.Reader));

        var narrowed = await CallAsync<List<McpMoment>>(reader, "search_moments",
            new Dictionary<string, object?> { ["query"] = "wombat", ["videoId"] = hidden.Id });
        var tooMany = await reader.CallToolAsync("search_moments", new Dictionary<string, object?> { ["query"] = "wombat", ["limit"] = 1000 },
            cancellationToken: Ct);

        Assert.Empty(narrowed);
        Assert.True(tooMany.IsError);
        Assert.Contains("limit", Text(tooMany));
    }

    [Fact]
    public async Task Get_transcript_of_a_hidden_video_is_refused_as_not_found()
    {
        var hidden = await api.SeedVideoAsync(api.Hidden, api.Admin.Id, title: "Board minutes");
        var visible = await api.SeedVideoAsync(api.Visible, api.Editor.Id, title: "Team meeting");
        await using var reader = await ConnectAsync(await ReaderKeyAsync());

        var refused = await reader.CallToolAsync("get_transcript", new Dictionary<string, object?> { ["videoId"] = hidden.Id }, cancellationToken: Ct);
        var transcript = await CallAsync<McpTranscript>(reader, "get_transcript", new Dictionary<string, object?> { ["videoId"] = visible.Id });

        Assert.True(refused.IsError);
        Assert.EndsWith(McpAnswers.VideoNotFound, Text(refused));
        Assert.DoesNotContain("Board minutes", Text(refused));
        Assert.Equal("Team meeting", transcript.Title);
        Assert.Equal(["spoken words 0", "spoken words 1"], transcript.Moments.Select(m => m.Spoken));
        Assert.Equal($"/videos/{visible.Id}?t=5", transcript.Moments[1].Link);
    }

    [Fact]
    public async Task List_videos_shows_only_the_callers_categories()
    {
        var hidden = await api.SeedVideoAsync(api.Hidden, api.Admin.Id, title: "Hidden listing");
        var visible = await api.SeedVideoAsync(api.Visible, api.Editor.Id, title: "Visible listing");
        await using var reader = await ConnectAsync(BearerOf(api.Reader));

        var page = await CallAsync<McpVideoPage>(reader, "list_videos", new Dictionary<string, object?> { ["title"] = "listing" });

        Assert.Equal([visible.Id], page.Videos.Select(v => v.Id));
        Assert.DoesNotContain(page.Videos, v => v.Id == hidden.Id);
        Assert.Equal($"/videos/{visible.Id}", page.Videos[0].Link);
    }

    [Fact]
    public void Links_are_absolute_when_a_public_url_is_set()
    {
        var id = Guid.NewGuid();

        var relative = McpAnswers.VideoLink(new ApiOptions(), id, 12.345);
        var absolute = McpAnswers.VideoLink(new ApiOptions { PublicUrl = new Uri("https://veeky.example.com") }, id, 12.345);

        Assert.Equal($"/videos/{id}?t=12.35", relative);
        Assert.Equal($"https://veeky.example.com/videos/{id}?t=12.35", absolute);
    }
}

/// <summary>The <c>ask</c> tool on a host with a (test-only) chat model: listed, and answering from the moments the
/// caller may see.</summary>
public sealed class McpAskToolTests(ApiWithModelsFactory factory) : IClassFixture<ApiWithModelsFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task With_a_chat_model_the_ask_tool_is_listed_and_answers_with_its_sources()
    {
        var http = await factory.SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword);
        var transport = new HttpClientTransport(
            new HttpClientTransportOptions { Endpoint = new Uri(http.BaseAddress!, "/mcp"), TransportMode = HttpTransportMode.StreamableHttp },
            http, loggerFactory: null, ownsHttpClient: true);
        await using var client = await McpClient.CreateAsync(transport, cancellationToken: Ct);

        var tools = await client.ListToolsAsync(cancellationToken: Ct);
        var result = await client.CallToolAsync("ask", new Dictionary<string, object?> { ["question"] = "What does the clip show?" },
            cancellationToken: Ct);

        var ask = Assert.Single(tools, t => t.Name == "ask");
        // Its services (the question answerer, the options) come from the host, never from the caller.
        Assert.Equal("question, categoryId, videoId",
            string.Join(", ", ask.JsonSchema.GetProperty("properties").EnumerateObject().Select(p => p.Name)));
        Assert.True(result.IsError is not true, string.Concat(result.Content.OfType<TextContentBlock>().Select(t => t.Text)));
        var answer = JsonSerializer.Deserialize<McpAnswer>(string.Concat(result.Content.OfType<TextContentBlock>().Select(t => t.Text)), ApiFixture.Json)!;
        Assert.Equal(ApiTestOnlyChatClient.Answer, answer.Answer);
        Assert.NotNull(answer.Sources);
    }
}
