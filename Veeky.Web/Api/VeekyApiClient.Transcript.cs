using Veeky.Contracts;

namespace Veeky.Web.Api;

/// <summary>The video page's transcript.</summary>
public sealed partial class VeekyApiClient
{
    /// <summary>The transcript as sentences with their times, or null when the video does not exist for this user.</summary>
    public Task<IReadOnlyList<TranscriptSentence>?> FindSentencesAsync(Guid id, CancellationToken ct = default) =>
        FindAsync<IReadOnlyList<TranscriptSentence>>($"api/videos/{id}/sentences", ct);
}
