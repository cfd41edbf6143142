using Veeky.Contracts;
using Veeky.Web.Api;

namespace Veeky.Web.Library;

/// <summary>What the library's bulk bar can do to the selected videos.</summary>
public enum BulkAction { Move, Reindex, Delete }

/// <summary>
/// A bulk change as the confirmation page states it: the action, the videos it applies to (those the viewer may
/// change), how many of the selection were left out, and the sentence that names the count before anything happens.
/// </summary>
public sealed record BulkPlan(BulkAction Action, IReadOnlyList<VideoSummary> Videos, int Skipped, CategorySummary? Target)
{
    /// <summary>A page of the library holds 24 cards; the API's page maximum bounds a hand-made address.</summary>
    public const int MaxVideos = 100;

    /// <summary>Reads the bar's <c>action</c> value (<c>move</c>, <c>reindex</c>, <c>delete</c>).</summary>
    public static bool TryParseAction(string? value, out BulkAction action) =>
        Enum.TryParse(value, ignoreCase: true, out action) && Enum.IsDefined(action) && !int.TryParse(value, out _);

    /// <summary>The question the page asks, e.g. "Delete 3 videos?".</summary>
    public string Question => Action switch
    {
        BulkAction.Delete => $"Delete {Count}?",
        BulkAction.Reindex => $"Reindex {Count}?",
        _ => $"Move {Count} to {Target?.Name}?",
    };

    /// <summary>The confirming button, which repeats the count so nobody deletes more than they meant to.</summary>
    public string Button => Action switch
    {
        BulkAction.Delete => $"Delete {Count}",
        BulkAction.Reindex => $"Reindex {Count}",
        _ => $"Move {Count}",
    };

    public string SkippedText => Skipped == 1
        ? "1 selected video is left out: you can change only the videos you uploaded."
        : $"{Skipped} selected videos are left out: you can change only the videos you uploaded.";

    private string Count => Videos.Count == 1 ? "1 video" : $"{Videos.Count} videos";
}
