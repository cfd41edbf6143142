using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Veeky.Contracts;

namespace Veeky.Web.Api;

/// <summary>
/// Typed client for the Veeky HTTP API (shared/API.md). The bearer token of the signed-in session is added by
/// <see cref="Sessions.SessionBearerHandler"/>, so pages never handle tokens; errors become <see cref="ApiException"/>.
/// </summary>
public sealed partial class VeekyApiClient(HttpClient http)
{
    /// <summary>JSON as API.md writes it: camelCase, case-insensitive on read.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Tokens for these credentials, or null when the API refuses them (401). A sign-in paused for too many
    /// failures (429) throws <see cref="ApiException"/> with the API's sentence.</summary>
    /// <param name="client">The browser's address, passed on as <c>X-Forwarded-For</c>: the API throttles failed
    /// sign-ins per client, and without it every person signing in here would count as this host.</param>
    public async Task<TokenResponse?> LoginAsync(string email, string password, IPAddress? client, CancellationToken ct = default)
    {
        using var request = WithoutSession(HttpMethod.Post, "api/auth/login", new LoginRequest(email, password));
        if (client is not null)
        {
            request.Headers.Add("X-Forwarded-For", client.ToString());
        }
        using var response = await http.SendAsync(request, ct);
        return response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest
            ? null
            : await ReadAsync<TokenResponse>(response, ct);
    }

    /// <summary>Ends the API's sign-in session of this refresh token, so neither it nor its access tokens work again.</summary>
    public async Task LogoutAsync(string refreshToken, CancellationToken ct = default)
    {
        using var request = WithoutSession(HttpMethod.Post, "api/auth/logout", new RefreshRequest(refreshToken));
        using var response = await http.SendAsync(request, ct);
        await EnsureSuccessAsync(response, ct);
    }

    /// <summary>New tokens for a refresh token, or null when it is no longer valid.</summary>
    public async Task<TokenResponse?> RefreshAsync(string refreshToken, CancellationToken ct = default)
    {
        using var response = await PostWithoutSessionAsync("api/auth/refresh", new RefreshRequest(refreshToken), ct);
        return response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest
            ? null
            : await ReadAsync<TokenResponse>(response, ct);
    }

    /// <summary>The user behind an access token that is not yet stored in a session (right after login).</summary>
    public async Task<UserSummary> GetMeAsync(string accessToken, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/auth/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await http.SendAsync(request, ct);
        return await ReadAsync<UserSummary>(response, ct);
    }

    public async Task<VideoPage> GetVideosAsync(Guid? categoryId, string? query, int page, int pageSize, CancellationToken ct = default)
    {
        var url = "api/videos" + QueryString(
            ("categoryId", categoryId?.ToString()), ("q", query),
            ("page", page.ToString(CultureInfo.InvariantCulture)), ("pageSize", pageSize.ToString(CultureInfo.InvariantCulture)));
        return await GetAsync<VideoPage>(url, ct);
    }

    /// <summary>The video, or null when it does not exist for this user (API.md: 404, never 403).</summary>
    public Task<VideoSummary?> FindVideoAsync(Guid id, CancellationToken ct = default) =>
        FindAsync<VideoSummary>($"api/videos/{id}", ct);

    public Task<VideoProgress?> FindVideoStatusAsync(Guid id, CancellationToken ct = default) =>
        FindAsync<VideoProgress>($"api/videos/{id}/status", ct);

    public Task<IReadOnlyList<VideoSegment>> GetSegmentsAsync(Guid id, CancellationToken ct = default) =>
        GetAsync<IReadOnlyList<VideoSegment>>($"api/videos/{id}/segments", ct);

    /// <summary>What a share link opens, or null when the link is not valid (tampered, expired or revoked).</summary>
    public Task<SharedVideoView?> FindSharedVideoAsync(string token, CancellationToken ct = default) =>
        FindAsync<SharedVideoView>($"api/shares/{Uri.EscapeDataString(token)}", ct);

    /// <summary>A new share link of the video starting at <paramref name="start"/> seconds, valid for the API's default time.</summary>
    public Task<ShareLink> CreateShareAsync(Guid videoId, double start, CancellationToken ct = default) =>
        SendAsync<ShareLink>(HttpMethod.Post, $"api/videos/{videoId}/shares", new { start }, ct);

    public async Task ReindexAsync(Guid id, CancellationToken ct = default)
    {
        using var response = await http.PostAsync($"api/videos/{id}/reindex", content: null, ct);
        await EnsureSuccessAsync(response, ct);
    }

    public async Task DeleteVideoAsync(Guid id, CancellationToken ct = default)
    {
        using var response = await http.DeleteAsync($"api/videos/{id}", ct);
        await EnsureSuccessAsync(response, ct);
    }

    public Task<SearchResults> SearchAsync(string query, Guid? categoryId, int limit, int offset, CancellationToken ct = default) =>
        SearchAsync(query, new SearchFilters(categoryId), limit, offset, ct);

    public Task<SearchResults> SearchAsync(string query, SearchFilters filters, int limit, int offset, CancellationToken ct = default) =>
        GetAsync<SearchResults>("api/search" + QueryString(
            ("q", query), ("categoryId", filters.CategoryId?.ToString()), ("videoId", filters.VideoId?.ToString()),
            ("from", filters.From), ("to", filters.To),
            ("limit", limit.ToString(CultureInfo.InvariantCulture)), ("offset", offset.ToString(CultureInfo.InvariantCulture))), ct);

    /// <summary>Moments whose keyframe looks like the picture (<c>POST /api/search/image</c>), the picture streamed through.</summary>
    public async Task<SearchResults> SearchByPictureAsync(Stream picture, string fileName, string? contentType, Guid? categoryId, int limit,
        CancellationToken ct = default)
    {
        using var form = new MultipartFormDataContent();
        var file = new StreamContent(picture);
        file.Headers.ContentType = MediaTypeHeaderValue.TryParse(contentType, out var type) ? type : new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", string.IsNullOrWhiteSpace(fileName) ? "picture" : fileName);
        if (categoryId is { } category)
        {
            form.Add(new StringContent(category.ToString()), "categoryId");
        }
        form.Add(new StringContent(limit.ToString(CultureInfo.InvariantCulture)), "limit");
        using var response = await http.PostAsync("api/search/image", form, ct);
        return await ReadAsync<SearchResults>(response, ct);
    }

    /// <summary>Moments like one moment, by its stored vectors (<c>GET /api/videos/{id}/segments/{index}/similar</c>).</summary>
    public Task<SearchResults> SimilarMomentsAsync(Guid videoId, int segmentIndex, int limit, CancellationToken ct = default) =>
        GetAsync<SearchResults>($"api/videos/{videoId}/segments/{segmentIndex}/similar?limit={limit.ToString(CultureInfo.InvariantCulture)}", ct);

    public Task<IReadOnlyList<CategorySummary>> GetCategoriesAsync(CancellationToken ct = default) =>
        GetAsync<IReadOnlyList<CategorySummary>>("api/categories", ct);

    public Task<CategorySummary> CreateCategoryAsync(CategoryRequest category, CancellationToken ct = default) =>
        SendAsync<CategorySummary>(HttpMethod.Post, "api/categories", category, ct);

    public Task<CategorySummary> UpdateCategoryAsync(Guid id, CategoryRequest category, CancellationToken ct = default) =>
        SendAsync<CategorySummary>(HttpMethod.Put, $"api/categories/{id}", category, ct);

    public async Task DeleteCategoryAsync(Guid id, CancellationToken ct = default)
    {
        using var response = await http.DeleteAsync($"api/categories/{id}", ct);
        await EnsureSuccessAsync(response, ct);
    }

    public Task<IReadOnlyList<UserSummary>> GetUsersAsync(CancellationToken ct = default) =>
        GetAsync<IReadOnlyList<UserSummary>>("api/users", ct);

    public Task<UserSummary> CreateUserAsync(CreateUserRequest user, CancellationToken ct = default) =>
        SendAsync<UserSummary>(HttpMethod.Post, "api/users", user, ct);

    public Task<UserSummary> UpdateUserAsync(Guid id, UpdateUserRequest user, CancellationToken ct = default) =>
        SendAsync<UserSummary>(HttpMethod.Put, $"api/users/{id}", user, ct);

    public async Task DeleteUserAsync(Guid id, CancellationToken ct = default)
    {
        using var response = await http.DeleteAsync($"api/users/{id}", ct);
        await EnsureSuccessAsync(response, ct);
    }

    public Task<IReadOnlyList<PromptSummary>> GetPromptsAsync(CancellationToken ct = default) =>
        GetAsync<IReadOnlyList<PromptSummary>>("api/configs/prompts", ct);

    /// <summary>The prompt, or null when there is none of that name.</summary>
    public Task<PromptSummary?> FindPromptAsync(string name, CancellationToken ct = default) =>
        FindAsync<PromptSummary>($"api/configs/prompts/{Uri.EscapeDataString(name)}", ct);

    public Task<PromptSummary> SavePromptAsync(string name, PromptRequest prompt, CancellationToken ct = default) =>
        SendAsync<PromptSummary>(HttpMethod.Put, $"api/configs/prompts/{Uri.EscapeDataString(name)}", prompt, ct);

    public Task<IReadOnlyList<LlmSettingSummary>> GetLlmSettingsAsync(CancellationToken ct = default) =>
        GetAsync<IReadOnlyList<LlmSettingSummary>>("api/configs/llm-settings", ct);

    /// <summary>The setting of the purpose, or null when it has none.</summary>
    public Task<LlmSettingSummary?> FindLlmSettingAsync(string purpose, CancellationToken ct = default) =>
        FindAsync<LlmSettingSummary>($"api/configs/llm-settings/{Uri.EscapeDataString(purpose)}", ct);

    public Task<LlmSettingSummary> SaveLlmSettingAsync(string purpose, LlmSettingRequest setting, CancellationToken ct = default) =>
        SendAsync<LlmSettingSummary>(HttpMethod.Put, $"api/configs/llm-settings/{Uri.EscapeDataString(purpose)}", setting, ct);

    /// <summary>Opens the API's Server-Sent Events stream for one video; the caller owns (and disposes) the response.</summary>
    public Task<HttpResponseMessage> OpenVideoEventsAsync(Guid id, string? lastEventId, CancellationToken ct = default) =>
        OpenEventsAsync($"api/videos/{id}/events", lastEventId, ct);

    /// <summary>Opens the API's Server-Sent Events stream for every video the user can see; the caller owns the response.</summary>
    public Task<HttpResponseMessage> OpenAllEventsAsync(string? lastEventId, CancellationToken ct = default) =>
        OpenEventsAsync("api/events", lastEventId, ct);

    private async Task<HttpResponseMessage> OpenEventsAsync(string url, string? lastEventId, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (!string.IsNullOrEmpty(lastEventId))
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                await EnsureSuccessAsync(response, ct);
            }
        }
        return response;
    }

    private async Task<HttpResponseMessage> PostWithoutSessionAsync(string url, object body, CancellationToken ct)
    {
        using var request = WithoutSession(HttpMethod.Post, url, body);
        return await http.SendAsync(request, ct);
    }

    private static HttpRequestMessage WithoutSession(HttpMethod method, string url, object body)
    {
        var request = new HttpRequestMessage(method, url) { Content = JsonContent.Create(body, options: Json) };
        request.Options.Set(Sessions.SessionBearerHandler.WithoutSession, true);
        return request;
    }

    private async Task<T> GetAsync<T>(string url, CancellationToken ct)
    {
        using var response = await http.GetAsync(url, ct);
        return await ReadAsync<T>(response, ct);
    }

    private async Task<T?> FindAsync<T>(string url, CancellationToken ct) where T : class
    {
        using var response = await http.GetAsync(url, ct);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync<T>(response, ct);
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string url, object body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, url) { Content = JsonContent.Create(body, options: Json) };
        using var response = await http.SendAsync(request, ct);
        return await ReadAsync<T>(response, ct);
    }

    /// <summary>Reads a successful answer's JSON, or throws <see cref="ApiException"/> with the problem details.</summary>
    internal static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken ct)
    {
        await EnsureSuccessAsync(response, ct);
        return await response.Content.ReadFromJsonAsync<T>(Json, ct)
            ?? throw new ApiException(response.StatusCode, new ApiProblem("Empty answer", "The API answered with no content.", (int)response.StatusCode, null));
    }

    internal static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        throw new ApiException(response.StatusCode, await ReadProblemAsync(response, ct));
    }

    /// <summary>The problem details of an error answer; a body that is not problem JSON still yields a sentence.</summary>
    internal static async Task<ApiProblem> ReadProblemAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var fallback = new ApiProblem(response.ReasonPhrase, null, (int)response.StatusCode, null);
        try
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            return string.IsNullOrWhiteSpace(body) ? fallback : JsonSerializer.Deserialize<ApiProblem>(body, Json) ?? fallback;
        }
        catch (JsonException)
        {
            return fallback;
        }
    }

    private static string QueryString(params (string Name, string? Value)[] parameters)
    {
        var parts = parameters
            .Where(p => !string.IsNullOrEmpty(p.Value))
            .Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}")
            .ToList();
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    /// <summary>A whole answer to a question, for pages rendered without script.</summary>
    public Task<AskAnswer> AskAsync(string question, Guid? categoryId, CancellationToken ct = default) =>
        SendAsync<AskAnswer>(HttpMethod.Post, "api/ask", new { question, categoryId }, ct);

    /// <summary>Opens the API's streamed answer (Server-Sent Events); the caller owns (and disposes) the response.
    /// An answer refused before its first token (400, 503) throws <see cref="ApiException"/>.</summary>
    public async Task<HttpResponseMessage> OpenAskStreamAsync(string question, Guid? categoryId, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/ask")
        {
            Content = JsonContent.Create(new { question, categoryId }, options: Json),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                await EnsureSuccessAsync(response, ct);
            }
        }
        return response;
    }
}
