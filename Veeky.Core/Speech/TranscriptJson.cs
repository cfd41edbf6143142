using System.Text.Json;

namespace Veeky.Speech;

/// <summary>The format of <see cref="Videos.Video.TranscriptJson"/>: an array of <c>{ "text", "start", "end" }</c>.</summary>
public static class TranscriptJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Serialize(IReadOnlyList<TranscriptWord> words) => JsonSerializer.Serialize(words, Options);

    public static IReadOnlyList<TranscriptWord> Deserialize(string? json) =>
        string.IsNullOrWhiteSpace(json) ? [] : JsonSerializer.Deserialize<List<TranscriptWord>>(json, Options) ?? [];
}
