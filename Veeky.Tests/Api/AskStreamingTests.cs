using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Veeky.AI;
using Veeky.Identity;
using Veeky.Search;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Api;

/// <summary>
/// <c>POST /api/ask</c> with hybrid retrieval and, with <c>Accept: text/event-stream</c>, a streamed answer: tokens,
/// then citations, only ever to moments the caller can see.
/// </summary>
public sealed class AskStreamingTests(AskStreamingTests.Fixture fixture) : IClassFixture<AskStreamingTests.Fixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Tokens_stream_as_the_model_sends_them_then_the_citations_close_the_stream()
    {
        fixture.Chat.Reset(ScriptedChatClient.Behaviour.Answer);

        var events = await AskStreamingAsync(fixture.Reader, new { question = "colour bars" });

        Assert.Equal(ScriptedChatClient.Tokens.Length + 1, events.Count);
        Assert.All(events.SkipLast(1), e => Assert.Equal("token", e.Type));
        Assert.Equal(ScriptedChatClient.Tokens, events.SkipLast(1).Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("text").GetString()));
        var last = events[^1];
        Assert.Equal("citations", last.Type);
        var body = JsonDocument.Parse(last.Data).RootElement;
        Assert.Equal(string.Concat(ScriptedChatClient.Tokens), body.GetProperty("answer").GetString());
        var citations = body.GetProperty("citations").EnumerateArray().ToList();
        Assert.NotEmpty(citations);
        Assert.All(citations, c =>
        {
            Assert.Equal(fixture.VisibleVideo, c.GetProperty("videoId").GetGuid());
            Assert.Equal("Visible colour bars", c.GetProperty("videoTitle").GetString());
            Assert.True(c.GetProperty("end").GetDouble() > c.GetProperty("start").GetDouble());
        });
    }

    [Fact]
    public async Task Streamed_citations_never_reach_moments_the_caller_cannot_see()
    {
        fixture.Chat.Reset(ScriptedChatClient.Behaviour.Answer);

        var events = await AskStreamingAsync(fixture.Reader, new { question = "colour bars secret" });

        var prompt = Assert.Single(fixture.Chat.Prompts);
        Assert.DoesNotContain("Hidden", prompt);
        Assert.DoesNotContain("secret plan", prompt);
        var citations = JsonDocument.Parse(events.Single(e => e.Type == "citations").Data).RootElement.GetProperty("citations");
        Assert.All(citations.EnumerateArray(), c => Assert.NotEqual(fixture.HiddenVideo, c.GetProperty("videoId").GetGuid()));

        // The admin sees both categories, so the same question does reach the hidden video: the filter is the scope.
        fixture.Chat.Reset(ScriptedChatClient.Behaviour.Answer);
        var adminEvents = await AskStreamingAsync(fixture.Admin, new { question = "colour bars secret" });
        var adminCitations = JsonDocument.Parse(adminEvents.Single(e => e.Type == "citations").Data).RootElement.GetProperty("citations");
        Assert.Contains(adminCitations.EnumerateArray(), c => c.GetProperty("videoId").GetGuid() == fixture.HiddenVideo);
    }

    [Theory]
    [InlineData("text/event-stream", "text/event-stream")]
    [InlineData("application/json", "application/json")]
    [InlineData("application/json, text/event-stream;q=0.5", "application/json")]
    [InlineData("text/event-stream, application/json;q=0.9", "text/event-stream")]
    [InlineData("*/*", "application/json")]
    public async Task The_answer_takes_the_form_the_client_prefers(string accept, string expected)
    {
        fixture.Chat.Reset(ScriptedChatClient.Behaviour.Answer);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/ask") { Content = JsonContent.Create(new { question = "colour bars" }) };
        request.Headers.TryAddWithoutValidation("Accept", accept);

        using var response = await fixture.Reader.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("[1]", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Json_answers_cite_only_visible_moments_too()
    {
        fixture.Chat.Reset(ScriptedChatClient.Behaviour.Answer);

        var response = await fixture.Reader.PostAsJsonAsync("/api/ask", new { question = "colour bars secret" }, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString());
        var citations = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("citations").EnumerateArray().ToList();
        Assert.NotEmpty(citations);
        Assert.All(citations, c => Assert.Equal(fixture.VisibleVideo, c.GetProperty("videoId").GetGuid()));
    }

    [Fact]
    public async Task An_answer_citing_nothing_still_returns_the_moments_it_was_built_from_best_first_none_marked_cited()
    {
        fixture.Chat.Reset(ScriptedChatClient.Behaviour.AnswerUncited);

        var response = await fixture.Reader.PostAsJsonAsync("/api/ask", new { question = "colour bars" }, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Empty(body.GetProperty("citations").EnumerateArray());
        var sources = body.GetProperty("sources").EnumerateArray().ToList();
        Assert.NotEmpty(sources);
        Assert.All(sources, s => Assert.False(s.GetProperty("cited").GetBoolean()));
        // Best first: in the order the moments were numbered for the model, which is the retrieval's ranking.
        Assert.Equal(PromptedMoments(Assert.Single(fixture.Chat.Prompts)), sources.Select(Moment));
    }

    [Fact]
    public async Task The_streamed_answer_ends_with_its_sources_marking_the_one_the_model_cited()
    {
        fixture.Chat.Reset(ScriptedChatClient.Behaviour.AnswerCitingSecond);

        var events = await AskStreamingAsync(fixture.Reader, new { question = "colour bars" });

        var body = JsonDocument.Parse(events.Single(e => e.Type == "citations").Data).RootElement;
        var sources = body.GetProperty("sources").EnumerateArray().ToList();
        Assert.True(sources.Count >= 2);
        Assert.Equal([false, true], sources.Take(2).Select(s => s.GetProperty("cited").GetBoolean()));
        Assert.All(sources.Skip(2), s => Assert.False(s.GetProperty("cited").GetBoolean()));
        var citation = Assert.Single(body.GetProperty("citations").EnumerateArray());
        Assert.Equal(Moment(sources[1]), Moment(citation));
        Assert.Equal(PromptedMoments(Assert.Single(fixture.Chat.Prompts)), sources.Select(Moment));
    }

    [Fact]
    public async Task Sources_never_include_a_moment_the_caller_cannot_see()
    {
        fixture.Chat.Reset(ScriptedChatClient.Behaviour.AnswerUncited);

        var json = await fixture.Reader.PostAsJsonAsync("/api/ask", new { question = "colour bars secret" }, Ct);
        var streamed = await AskStreamingAsync(fixture.Reader, new { question = "colour bars secret" });

        var jsonSources = (await json.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("sources").EnumerateArray().ToList();
        var streamedSources = JsonDocument.Parse(streamed.Single(e => e.Type == "citations").Data).RootElement
            .GetProperty("sources").EnumerateArray().ToList();
        Assert.NotEmpty(jsonSources);
        Assert.All(jsonSources.Concat(streamedSources), s => Assert.Equal(fixture.VisibleVideo, s.GetProperty("videoId").GetGuid()));

        // The admin sees both categories, so the same question lists the hidden video's moments: the filter is the scope.
        var admin = await fixture.Admin.PostAsJsonAsync("/api/ask", new { question = "colour bars secret" }, Ct);
        Assert.Contains((await admin.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("sources").EnumerateArray(),
            s => s.GetProperty("videoId").GetGuid() == fixture.HiddenVideo);
    }

    /// <summary>The moments as the prompt numbers them: <c>[n] "title" 4s-8s: text</c>, as (title, start).</summary>
    private static List<(string Title, double Start)> PromptedMoments(string prompt) =>
        [.. System.Text.RegularExpressions.Regex.Matches(prompt, @"^\[\d+\] ""(?<title>[^""]*)"" (?<start>[\d.]+)s-", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => (m.Groups["title"].Value, double.Parse(m.Groups["start"].Value, System.Globalization.CultureInfo.InvariantCulture)))];

    private static (string Title, double Start) Moment(JsonElement moment) =>
        (moment.GetProperty("videoTitle").GetString()!, moment.GetProperty("start").GetDouble());

    [Fact]
    public async Task Retrieval_is_hybrid_so_a_moment_sharing_no_word_with_the_question_reaches_the_model()
    {
        fixture.Chat.Reset(ScriptedChatClient.Behaviour.Answer);

        await AskStreamingAsync(fixture.Reader, new { question = "what did the doctor say" });

        Assert.Contains("the physician explains the treatment", Assert.Single(fixture.Chat.Prompts));
    }

    [Fact]
    public async Task A_model_that_fails_before_the_first_token_is_a_503_problem()
    {
        fixture.Chat.Reset(ScriptedChatClient.Behaviour.FailAtOnce);

        using var request = StreamingRequest(new { question = "colour bars" });
        using var response = await fixture.Reader.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains("model is loading", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_model_that_fails_mid_answer_ends_the_stream_with_an_error_event()
    {
        fixture.Chat.Reset(ScriptedChatClient.Behaviour.FailMidway);

        var events = await AskStreamingAsync(fixture.Reader, new { question = "colour bars" });

        Assert.Equal(["token", "error"], events.Select(e => e.Type));
        Assert.Contains("crashed", JsonDocument.Parse(events[1].Data).RootElement.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("  ")]
    [InlineData(null)]
    [InlineData("long")]
    public async Task An_empty_or_overlong_question_is_a_400_before_any_stream_and_the_model_is_not_called(string? question)
    {
        fixture.Chat.Reset(ScriptedChatClient.Behaviour.Answer);
        using var request = StreamingRequest(new { question = question == "long" ? new string('a', 2001) : question });
        using var response = await fixture.Reader.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").TryGetProperty("question", out _));
        Assert.Empty(fixture.Chat.Prompts);
    }

    [Fact]
    public async Task The_model_call_is_cancelled_when_the_client_goes_away()
    {
        fixture.Chat.Reset(ScriptedChatClient.Behaviour.Hang);
        using var leave = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        using (var request = StreamingRequest(new { question = "colour bars" }))
        using (var response = await fixture.Reader.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, leave.Token))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var stream = new ApiEventStream(await response.Content.ReadAsStreamAsync(leave.Token));
            Assert.Equal("token", (await stream.ReadAsync(leave.Token))?.Type);
            await leave.CancelAsync();
        }

        // Waits for the server side to notice; a hang here means the model call outlived its client.
        await fixture.Chat.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
    }

    private static HttpRequestMessage StreamingRequest(object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/ask") { Content = JsonContent.Create(body) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        return request;
    }

    private static async Task<List<ServerSentEvent>> AskStreamingAsync(HttpClient client, object body)
    {
        using var request = StreamingRequest(body);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var stream = new ApiEventStream(await response.Content.ReadAsStreamAsync(Ct));
        var events = new List<ServerSentEvent>();
        while (await stream.ReadAsync(Ct) is { } e)
        {
            events.Add(e);
        }
        return events;
    }

    /// <summary>An API host with a scripted chat model and the hashing embedder, a reader of one category and
    /// indexed moments in that category and in one the reader cannot see.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private readonly Factory _factory = new();

        public ScriptedChatClient Chat => _factory.Chat;
        public HttpClient Admin { get; private set; } = null!;
        public HttpClient Reader { get; private set; } = null!;
        public Guid VisibleVideo { get; } = Guid.CreateVersion7();
        public Guid HiddenVideo { get; } = Guid.CreateVersion7();

        public async ValueTask InitializeAsync()
        {
            Admin = await _factory.SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword);
            var visible = await ApiFactory.CreateAsync(Admin, "/api/categories", new { name = "Visible" });
            var hidden = await ApiFactory.CreateAsync(Admin, "/api/categories", new { name = "Hidden" });
            await ApiFactory.CreateAsync(Admin, "/api/users", new { email = "ask-reader@test.local", password = ApiFixture.Password, role = Roles.User, categoryIds = new[] { visible } });
            Reader = await _factory.SignInAsync("ask-reader@test.local", ApiFixture.Password);

            var index = _factory.Services.GetRequiredService<ISearchIndex>();
            await IndexAsync(index, VisibleVideo, visible, "Visible colour bars",
                ["colour bars test pattern", "colour bars and a tone", "the physician explains the treatment"]);
            await IndexAsync(index, HiddenVideo, hidden, "Hidden colour bars", ["colour bars secret plan", "colour bars secret meeting"]);
        }

        public async ValueTask DisposeAsync()
        {
            Admin?.Dispose();
            Reader?.Dispose();
            await _factory.DisposeAsync();
        }

        private static Task IndexAsync(ISearchIndex index, Guid id, Guid category, string title, string[] transcripts) =>
            index.ReplaceVideoAsync(new VideoDocument(id, category, title, null, [], null, DateTimeOffset.UtcNow),
                transcripts.Select((t, i) => new SegmentDocument(id, i, i * 4, i * 4 + 4, t, null, null, [],
                    TextEmbedding: TestHashingEmbeddingGenerator.Embed(t))).ToList());

        private sealed class Factory : ApiFactory
        {
            public ScriptedChatClient Chat { get; } = new();

            protected override void ConfigureTestServices(IWebHostBuilder builder) =>
                builder.ConfigureTestServices(services =>
                {
                    services.AddSingleton<IChatClient>(Chat);
                    services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>, TestHashingEmbeddingGenerator>();
                });
        }
    }
}

/// <summary>A chat model double that streams a fixed answer citing every moment, or fails or hangs on purpose.</summary>
public sealed class ScriptedChatClient : IChatClient
{
    public enum Behaviour { Answer, FailAtOnce, FailMidway, Hang, AnswerUncited, AnswerCitingSecond }

    public static readonly string[] Tokens = ["Colour bars ", "are shown ", "[1] [2] [3] [4] [5] [6] [7] [8]."];

    /// <summary>What a small local model often answers: right, but without marking a single moment.</summary>
    public static readonly string[] UncitedTokens = ["Colour bars ", "are shown."];

    public static readonly string[] SecondCitedTokens = ["Colour bars ", "are shown ", "[2]."];

    private string[] Answer => _behaviour switch
    {
        Behaviour.AnswerUncited => UncitedTokens,
        Behaviour.AnswerCitingSecond => SecondCitedTokens,
        _ => Tokens,
    };

    private Behaviour _behaviour;

    public ConcurrentQueue<string> Prompts { get; } = new();

    /// <summary>Completed when a hanging answer's token is cancelled.</summary>
    public TaskCompletionSource Cancelled { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Reset(Behaviour behaviour)
    {
        _behaviour = behaviour;
        Prompts.Clear();
        Cancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Prompts.Enqueue(messages.Last().Text);
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, string.Concat(Answer))));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Prompts.Enqueue(messages.Last().Text);
        await Task.Yield();
        if (_behaviour == Behaviour.FailAtOnce)
        {
            throw new ModelServerException("The Ollama server at http://model:11434 answered 503: model is loading.", HttpStatusCode.ServiceUnavailable);
        }
        yield return new ChatResponseUpdate(ChatRole.Assistant, Answer[0]);
        if (_behaviour == Behaviour.FailMidway)
        {
            throw new ModelServerException("The Ollama server at http://model:11434 crashed mid-answer.");
        }
        if (_behaviour == Behaviour.Hang)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            finally
            {
                Cancelled.TrySetResult();
            }
        }
        foreach (var token in Answer.Skip(1))
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, token);
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
