using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class SearchEndpointsTests(ApiFixture api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Hybrid_search_without_an_embedding_model_runs_as_text_and_says_so()
    {
        var result = await api.Reader.Client.GetFromJsonAsync<JsonElement>("/api/search?q=spoken%20words&mode=hybrid", Ct);

        Assert.Equal("spoken words", result.GetProperty("query").GetString());
        Assert.Equal("text", result.GetProperty("mode").GetString());
        Assert.True(result.GetProperty("tookMs").GetDouble() >= 0);
        Assert.True(result.TryGetProperty("total", out _));
        Assert.Equal(JsonValueKind.Array, result.GetProperty("hits").ValueKind);
    }

    [Fact]
    public async Task Semantic_search_without_an_embedding_model_is_a_400_naming_the_setting()
    {
        var response = await api.Reader.Client.GetAsync("/api/search?q=revenue&mode=semantic", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains("ConnectionStrings:ollama-embed", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("/api/search")]
    [InlineData("/api/search?q=a&limit=0")]
    [InlineData("/api/search?q=a&limit=101")]
    [InlineData("/api/search?q=a&offset=-1")]
    [InlineData("/api/search?q=a&mode=psychic")]
    public async Task Bad_search_parameters_are_a_400_validation_problem(string url)
    {
        var response = await api.Reader.Client.GetAsync(url, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).TryGetProperty("errors", out _));
    }

    [Theory]
    [InlineData("\"unbalanced")]
    [InlineData("NEAR(a b")]
    [InlineData("* - OR AND ( ) :")]
    [InlineData("مرحبا 🎬")]
    public async Task Any_query_text_is_safe(string query)
    {
        var response = await api.Reader.Client.GetAsync($"/api/search?q={Uri.EscapeDataString(query)}", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Search_needs_a_bearer_token()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Anonymous().GetAsync("/api/search?q=a", Ct)).StatusCode);
    }

    [Fact]
    public async Task Ask_without_a_chat_model_is_a_503_naming_the_setting()
    {
        var response = await api.Reader.Client.PostAsJsonAsync("/api/ask", new { question = "What was said about revenue?" }, Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains("ConnectionStrings:ollama-chat", problem.GetProperty("detail").GetString());
    }
}
