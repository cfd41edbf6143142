namespace Veeky.Web.Api;

/// <summary>The answer of <c>GET /api/admin/status</c>: the indexing queue, the pipeline's capabilities, the storage used.</summary>
public sealed record AdminStatus(IndexingQueue Queue, IReadOnlyDictionary<string, string> Capabilities, StorageUse Storage);

public sealed record IndexingQueue(int WaitingCount, IReadOnlyList<QueuedVideo> Waiting, int RunningCount, IReadOnlyList<QueuedVideo> Running,
    int FailedCount, IReadOnlyList<QueuedVideo> Failed);

/// <summary>A video in the queue; the stage stays a string, as in <see cref="VideoSummary"/>.</summary>
public sealed record QueuedVideo(Guid VideoId, string Title, string? Stage, double Progress, string? Error, string? Worker, int Attempts,
    DateTimeOffset UpdatedAt);

public sealed record StorageUse(int VideoCount, long OriginalBytes, long MediaFolderBytes, long? FreeBytes);
