namespace Veeky.Contracts;

/// <summary>The answer of <c>GET /api/admin/status</c>: the indexing queue, the pipeline's capabilities, the storage used.</summary>
public sealed record AdminStatus(IndexingQueue Queue, IReadOnlyDictionary<string, string> Capabilities, StorageUse Storage);

/// <summary>Counts and the oldest entries of each part of the queue.</summary>
public sealed record IndexingQueue(int WaitingCount, IReadOnlyList<QueuedVideo> Waiting, int RunningCount, IReadOnlyList<QueuedVideo> Running,
    int FailedCount, IReadOnlyList<QueuedVideo> Failed);

/// <summary>One video in the queue: its stage and progress, the worker holding it (running), the error (failed).</summary>
public sealed record QueuedVideo(Guid VideoId, string Title, string Stage, double Progress, string? Error, string? Worker, int Attempts,
    DateTimeOffset UpdatedAt);

/// <summary>Bytes of the originals, of the whole media folder, and free on its drive (null when the folder does not exist yet).</summary>
public sealed record StorageUse(int VideoCount, long OriginalBytes, long MediaFolderBytes, long? FreeBytes);

/// <summary>The answer of <c>POST /api/admin/search/rebuild</c>.</summary>
public sealed record SearchRebuildResult(string Status, int Indexed, int Total);
