using System.Reflection;
using System.Text.Json;
using Veeky.Contracts;

namespace Veeky.Tests.Api;

/// <summary>The records in Veeky.Contracts are API.md's shapes: each serialises to exactly the documented field names,
/// and neither Veeky.Api nor Veeky.Web keeps a copy of one.</summary>
public sealed class WireContractTests
{
    /// <summary>Field names as API.md (and the additions in Veeky.Api/README.md) write them, in the order they are listed.</summary>
    private static readonly Dictionary<Type, string> Documented = new()
    {
        [typeof(LoginRequest)] = "email, password",
        [typeof(RefreshRequest)] = "refreshToken",
        [typeof(TokenResponse)] = "tokenType, accessToken, expiresIn, refreshToken",
        [typeof(UserSummary)] = "id, email, role, categoryIds",
        [typeof(CreateUserRequest)] = "email, password, role, categoryIds",
        [typeof(UpdateUserRequest)] = "role, categoryIds",
        [typeof(ChangePasswordRequest)] = "currentPassword, newPassword",
        [typeof(ResetPasswordRequest)] = "userId, token, newPassword",
        [typeof(PasswordResetLink)] = "userId, email, path, token, expiresAt",
        [typeof(CreateApiKeyRequest)] = "name, expiresInDays",
        [typeof(CreatedApiKey)] = "id, name, key, createdAt, expiresAt",
        [typeof(ApiKeySummary)] = "id, userId, name, prefix, createdAt, expiresAt, lastUsedAt",
        [typeof(CategoryRequest)] = "name, imageEmbeddingModel",
        [typeof(CategorySummary)] = "id, name, imageEmbeddingModel",
        [typeof(VideoSummary)] = "id, title, description, keywords, categoryId, uploaderId, status, stage, progress, error, "
            + "durationSeconds, width, height, sizeBytes, contentType, segmentCount, summary, streamUrl, thumbnailUrl, createdAt, "
            + "updatedAt, captionsVttUrl, captionsSrtUrl",
        [typeof(VideoSegment)] = "index, start, end, transcript, ocrText, caption, keywords, keyframeUrl, thumbnailUrl",
        [typeof(VideoProgress)] = "id, status, stage, progress, error, updatedAt",
        [typeof(ProgressEvent)] = "id, status, stage, progress, error",
        [typeof(VideoPage)] = "items, total, page, pageSize",
        [typeof(VideoEditRequest)] = "title, description, keywords, categoryId",
        [typeof(ImportVideoRequest)] = "url, title, categoryId, description, keywords",
        [typeof(SearchResults)] = "query, mode, total, tookMs, hits",
        [typeof(AskAvailability)] = "available",
        [typeof(VideoKeyframe)] = "segmentIndex, start, thumbnailUrl",
        [typeof(TranscriptSentence)] = "start, end, text",
        [typeof(SearchHit)] = "videoId, videoTitle, categoryId, segmentIndex, start, end, score, snippet, matchedFields, keyframeUrl, thumbnailUrl, "
            + "matchedIn",
        [typeof(AskRequest)] = "question, categoryId, videoId",
        [typeof(AskAnswer)] = "answer, citations, sources",
        [typeof(AskCitation)] = "videoId, videoTitle, segmentIndex, start, end",
        [typeof(AskSource)] = "videoId, videoTitle, segmentIndex, start, end, cited",
        [typeof(ConfigRequest)] = "value",
        [typeof(ConfigEntry)] = "key, value",
        [typeof(PromptRequest)] = "template, description",
        [typeof(PromptSummary)] = "name, template, description",
        [typeof(LlmSettingRequest)] = "model, temperature, maxTokens, endpoint, language",
        [typeof(LlmSettingSummary)] = "purpose, model, temperature, maxTokens, endpoint, language",
        [typeof(CreateShareRequest)] = "start, expiresInHours",
        [typeof(ShareLink)] = "id, url, path, start, expiresAt, createdAt",
        [typeof(SharedVideoView)] = "start, expiresAt, video, segments",
        [typeof(SharedVideo)] = "id, title, description, keywords, summary, durationSeconds, width, height, streamUrl, thumbnailUrl, captionsVttUrl",
        [typeof(WebhookRequest)] = "url, events, secret",
        [typeof(WebhookSummary)] = "id, url, events, createdAt",
        [typeof(CreatedWebhook)] = "id, url, events, secret, createdAt",
        [typeof(WebhookDeliverySummary)] = "id, type, status, attempts, lastError, createdAt, nextAttemptAt",
        [typeof(AdminStatus)] = "queue, capabilities, storage",
        [typeof(IndexingQueue)] = "waitingCount, waiting, runningCount, running, failedCount, failed",
        [typeof(QueuedVideo)] = "videoId, title, stage, progress, error, worker, attempts, updatedAt",
        [typeof(StorageUse)] = "videoCount, originalBytes, mediaFolderBytes, freeBytes",
        [typeof(SearchRebuildResult)] = "status, indexed, total",
    };

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static IEnumerable<Type> ContractRecords() =>
        typeof(VideoSummary).Assembly.GetExportedTypes().Where(IsRecord);

    public static TheoryData<string> Records()
    {
        var names = new TheoryData<string>();
        foreach (var name in ContractRecords().Select(t => t.Name).Order())
        {
            names.Add(name);
        }
        return names;
    }

    [Theory]
    [MemberData(nameof(Records))]
    public void Each_wire_record_serialises_to_the_documented_field_names(string record)
    {
        var type = ContractRecords().Single(t => t.Name == record);
        Assert.True(Documented.TryGetValue(type, out var documented), $"{record} is on the wire but not listed here with API.md's field names.");

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(Sample(type), type, Json));

        Assert.Equal(documented.Split(", "), json.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void A_wire_record_reads_back_what_it_wrote()
    {
        var hit = new SearchHit(Guid.NewGuid(), "Launch", Guid.NewGuid(), 3, 12.5, 20, 0.8, "the <mark>launch</mark>", ["title"],
            "/k.jpg", "/t.jpg", SearchMatch.Video);
        var results = new SearchResults("launch", "hybrid", 1, 4.2, [hit]);

        var read = JsonSerializer.Deserialize<SearchResults>(JsonSerializer.Serialize(results, Json), Json)!;

        var readHit = Assert.Single(read.Hits);
        Assert.Equal(["title"], readHit.MatchedFields);
        Assert.Equal(hit with { MatchedFields = readHit.MatchedFields }, readHit);
        Assert.Equal(("launch", "hybrid", 1, 4.2), (read.Query, read.Mode, read.Total, read.TookMs));
    }

    [Fact]
    public void Neither_the_api_nor_the_web_keeps_its_own_copy_of_a_wire_shape()
    {
        var shapes = ContractRecords().ToDictionary(Shape, t => t.FullName!);
        var copies = new[] { typeof(Veeky.Api.Videos.VideoEndpoints).Assembly, typeof(Veeky.Web.Api.VeekyApiClient).Assembly }
            .SelectMany(a => a.GetTypes())
            .Where(IsRecord)
            .Where(t => shapes.ContainsKey(Shape(t)))
            .Select(t => $"{t.FullName} copies {shapes[Shape(t)]}");

        Assert.Empty(copies);
    }

    private static bool IsRecord(Type type) => type.IsClass && type.GetMethod("<Clone>$") is not null;

    private static string Shape(Type record) =>
        string.Join(",", record.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name.ToLowerInvariant()));

    /// <summary>An instance with every constructor argument set, so no field is left out as null-by-default would hide it.</summary>
    private static object Sample(Type type)
    {
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        return constructor.Invoke(constructor.GetParameters().Select(p => Value(p.ParameterType)).ToArray());
    }

    private static object? Value(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) return "x";
        if (type == typeof(Guid)) return Guid.NewGuid();
        if (type == typeof(DateTimeOffset)) return DateTimeOffset.UnixEpoch;
        if (type == typeof(bool)) return true;
        if (type.IsPrimitive) return Convert.ChangeType(1, type, System.Globalization.CultureInfo.InvariantCulture);
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>))
        {
            return Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(type.GetGenericArguments()));
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            var element = type.GetGenericArguments()[0];
            var array = Array.CreateInstance(element, 1);
            array.SetValue(Value(element), 0);
            return array;
        }
        return Sample(type);
    }
}
