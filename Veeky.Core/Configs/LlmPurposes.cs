namespace Veeky.Configs;

/// <summary>The purposes an <see cref="LlmSetting"/> can configure.</summary>
public static class LlmPurposes
{
    public const string Caption = "caption";
    public const string Keywords = "keywords";
    public const string Embedding = "embedding";
    public const string Answer = "answer";
    public const string Transcription = "transcription";

    public static IReadOnlyList<string> All { get; } = [Caption, Keywords, Embedding, Answer, Transcription];
}
