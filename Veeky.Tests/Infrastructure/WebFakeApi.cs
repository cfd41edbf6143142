using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Veeky.Contracts;
using Veeky.Web.Api;

namespace Veeky.Tests.Infrastructure;

/// <summary>
/// A stand-in for the Veeky API behind the web UI, answering the JSON of shared/API.md from memory. It lets the UI's
/// sessions, pages and upload relay be tested on their own; the real API is tested through its own factory.
/// </summary>
public sealed class WebFakeApi : HttpMessageHandler
{
    public const string Email = "ada@veeky.test";
    public const string Password = "Correct-Horse-7";

    public static readonly Guid UserId = Guid.Parse("aaaaaaaa-0000-0000-0000-000000000001");
    public static readonly CategorySummary Engineering = new(Guid.Parse("cccccccc-0000-0000-0000-000000000001"), "Engineering", null);

    public static readonly VideoSummary AllHands = new(
        Guid.Parse("dddddddd-0000-0000-0000-000000000001"), "Quarterly all-hands", "Revenue and roadmap.", ["revenue"],
        Engineering.Id, UserId, VideoStatuses.Completed, "Done", 1, null, 754.3, 1280, 720, 1000, "video/mp4", 2, null,
        "/media/all-hands.mp4", "/media/all-hands.jpg", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

    public static readonly PromptSummary CaptionPrompt = new("caption", "Describe this frame of {{title}}.", "Describes a keyframe.");

    public static readonly LlmSettingSummary CaptionSetting = new("caption", "llava", 0.2, 256, null);

    /// <summary>A snippet as a careless or hostile API could send it: a script among the highlights.</summary>
    public const string HostileSnippet = "the <mark>revenue</mark> grew <script>alert('pwned')</script> &amp; more";

    private int generation;

    /// <summary>Role of the signed-in user.</summary>
    public string Role { get; set; } = "Admin";

    /// <summary>Lifetime of issued access tokens in seconds.</summary>
    public int ExpiresIn { get; set; } = 3600;

    public bool RefuseRefresh { get; set; }

    /// <summary>Whether the API says a chat model is configured (<c>GET /api/ask/availability</c>).</summary>
    public bool ChatConfigured { get; set; } = true;

    /// <summary>How long a refresh takes, so that requests can overlap one.</summary>
    public TimeSpan RefreshDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Answers every sign-in with 429, as the API does for a client with too many failed sign-ins.</summary>
    public bool PauseSignIn { get; set; }

    public const string PausedSignIn = "Too many failed sign-ins from your address. Try again in 30 seconds.";

    /// <summary>Uploads containing this text are refused with a problem, as ffprobe would refuse a text file.</summary>
    public const string NotAVideoMarker = "this is not a video";

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public string CurrentAccessToken => $"access-{generation}";
    public string CurrentRefreshToken => $"refresh-{generation}";

    /// <summary>One request the UI sent to the API.</summary>
    public sealed record RecordedRequest(HttpMethod Method, string Path, string? Authorization, string? ContentType, byte[] Body, bool Chunked, string? Range, string? ForwardedFor);

    /// <summary>The bytes of the stand-in video stream, served in ranges like the real stream endpoint.</summary>
    public static readonly byte[] StreamBytes = "0123456789"u8.ToArray();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var path = request.RequestUri!.AbsolutePath;
        Requests.Enqueue(new RecordedRequest(
            request.Method, path + request.RequestUri.Query, request.Headers.Authorization?.ToString(),
            request.Content?.Headers.ContentType?.ToString(), body,
            request.Content?.Headers.ContentLength is null, request.Headers.Range?.ToString(),
            request.Headers.TryGetValues("X-Forwarded-For", out var forwardedFor) ? string.Join(",", forwardedFor) : null));

        switch (request.Method.Method, path)
        {
            case ("POST", "/api/auth/login"):
                var login = JsonSerializer.Deserialize<LoginRequest>(body, VeekyApiClient.Json)!;
                return PauseSignIn ? Problem(HttpStatusCode.TooManyRequests, PausedSignIn)
                    : login.Email == Email && login.Password == Password ? IssueTokens()
                    : Problem(HttpStatusCode.Unauthorized, "The email or password is not correct.");
            case ("POST", "/api/auth/refresh"):
                await Task.Delay(RefreshDelay, cancellationToken);
                var refresh = JsonSerializer.Deserialize<RefreshRequest>(body, VeekyApiClient.Json)!;
                return !RefuseRefresh && refresh.RefreshToken == CurrentRefreshToken ? IssueTokens() : Problem(HttpStatusCode.Unauthorized, "Expired.");
            case ("POST", "/api/auth/logout"):
                // As the real API: the session ends, so its current tokens stop working.
                Interlocked.Increment(ref generation);
                return new HttpResponseMessage(HttpStatusCode.NoContent);
        }

        if (path == $"/api/videos/{AllHands.Id}/stream" && request.RequestUri.Query.Contains("sig=valid"))
        {
            return Stream(request);
        }

        if (request.Headers.Authorization?.ToString() != $"Bearer {CurrentAccessToken}")
        {
            return Problem(HttpStatusCode.Unauthorized, "No valid token.");
        }

        return (request.Method.Method, path) switch
        {
            ("GET", "/api/auth/me") => Json(new UserSummary(UserId, Email, Role, [Engineering.Id])),
            ("GET", "/api/categories") => Json(new[] { Engineering }),
            ("GET", "/api/ask/availability") => Json(new AskAvailability(ChatConfigured)),
            ("GET", "/api/users") => Json(new[] { new UserSummary(UserId, Email, Role, [Engineering.Id]) }),
            ("GET", "/api/videos") => Json(new VideoPage([AllHands], 1, 1, 24)),
            ("GET", var p) when p == $"/api/videos/{AllHands.Id}" => Json(AllHands),
            ("GET", var p) when p == $"/api/videos/{AllHands.Id}/segments" => Json(new[]
            {
                new VideoSegment(0, 0, 4.5, "welcome everyone", "Q3 ALL-HANDS", null, [], "/media/k0.jpg", "/media/t0.jpg"),
                new VideoSegment(1, 4.5, 12.25, "revenue grew twelve percent", null, null, [], "/media/k1.jpg", "/media/t1.jpg"),
            }),
            ("GET", var p) when p == $"/api/videos/{AllHands.Id}/events" => new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(ProgressEvent, System.Text.Encoding.UTF8, "text/event-stream"),
            },
            ("GET", "/api/search") => Json(new SearchResults("revenue", "text", 1, 2,
                [new SearchHit(AllHands.Id, AllHands.Title, Engineering.Id, 1, 4.5, 12.25, 2.5, HostileSnippet, ["transcript"], "/media/k1.jpg", "/media/t1.jpg")])),
            ("POST", "/api/videos") => System.Text.Encoding.UTF8.GetString(body).Contains(NotAVideoMarker)
                ? Problem(HttpStatusCode.BadRequest, "The file is not a video that ffprobe can read.")
                : Json(AllHands with { Status = VideoStatuses.Pending, Stage = "Queued", Progress = 0 }, HttpStatusCode.Accepted),
            ("GET", "/api/configs/prompts") => Json(new[] { CaptionPrompt }),
            ("GET", "/api/configs/prompts/caption") => Json(CaptionPrompt),
            ("PUT", "/api/configs/prompts/caption") => System.Text.Encoding.UTF8.GetString(body).Contains("{{weather}}")
                ? ValidationProblem("template", "Unknown placeholder {{weather}}; the caption prompt can use {{title}}.")
                : Json(JsonSerializer.Deserialize<PromptRequest>(body, VeekyApiClient.Json) is { } prompt
                    ? new PromptSummary("caption", prompt.Template ?? "", prompt.Description) : CaptionPrompt),
            ("GET", "/api/configs/llm-settings") => Json(new[] { CaptionSetting }),
            ("GET", "/api/configs/llm-settings/caption") => Json(CaptionSetting),
            ("PUT", "/api/configs/llm-settings/caption") => JsonSerializer.Deserialize<LlmSettingRequest>(body, VeekyApiClient.Json) is { Temperature: <= 2, Model: not null } setting
                ? Json(new LlmSettingSummary("caption", setting.Model, setting.Temperature!.Value, setting.MaxTokens ?? 0, setting.Endpoint))
                : ValidationProblem("temperature", "The temperature must be between 0 and 2."),
            _ => Problem(HttpStatusCode.NotFound, "Not found."),
        };
    }

    /// <summary>What the stand-in progress stream sends before it ends.</summary>
    public const string ProgressEvent = "event: progress\ndata: {\"status\":\"Processing\",\"stage\":\"Transcribing\",\"progress\":0.5}\n\n";

    private static HttpResponseMessage Stream(HttpRequestMessage request)
    {
        var range = request.Headers.Range?.Ranges.SingleOrDefault();
        if (range is null)
        {
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(StreamBytes) };
        }
        var from = (int)range.From!.Value;
        var to = (int)(range.To ?? StreamBytes.Length - 1);
        var content = new ByteArrayContent(StreamBytes[from..(to + 1)]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("video/mp4");
        content.Headers.ContentRange = new System.Net.Http.Headers.ContentRangeHeaderValue(from, to, StreamBytes.Length);
        var response = new HttpResponseMessage(HttpStatusCode.PartialContent) { Content = content };
        response.Headers.AcceptRanges.Add("bytes");
        return response;
    }

    private HttpResponseMessage IssueTokens()
    {
        Interlocked.Increment(ref generation);
        return Json(new TokenResponse("Bearer", CurrentAccessToken, ExpiresIn, CurrentRefreshToken));
    }

    private static HttpResponseMessage Json<T>(T value, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = JsonContent.Create(value, options: VeekyApiClient.Json) };

    private static HttpResponseMessage ValidationProblem(string field, string message) =>
        new(HttpStatusCode.BadRequest)
        {
            Content = JsonContent.Create(new { title = "One or more validation errors occurred.", status = 400, errors = new Dictionary<string, string[]> { [field] = [message] } },
                new System.Net.Http.Headers.MediaTypeHeaderValue("application/problem+json")),
        };

    private static HttpResponseMessage Problem(HttpStatusCode status, string detail) =>
        new(status)
        {
            Content = JsonContent.Create(new { title = status.ToString(), status = (int)status, detail },
                new System.Net.Http.Headers.MediaTypeHeaderValue("application/problem+json")),
        };
}
