namespace Veeky.Media;

/// <summary>Where original videos, keyframes and thumbnails live; paths are relative to the store's root.</summary>
public interface IMediaStore
{
    /// <summary>Absolute path of a stored file (for external tools such as ffmpeg).</summary>
    string GetFullPath(string relativePath);

    /// <summary>Relative path of the original upload of a video.</summary>
    string OriginalPath(Guid videoId, string extension);

    /// <summary>Relative path of a segment's keyframe.</summary>
    string KeyframePath(Guid videoId, int segmentIndex);

    /// <summary>Relative path of a segment keyframe's small copy (the thumbnail width), beside the keyframe; result
    /// tiles and the timeline show it instead of the full-size frame.</summary>
    string SegmentThumbnailPath(Guid videoId, int segmentIndex);

    /// <summary>Relative path of the video's thumbnail.</summary>
    string ThumbnailPath(Guid videoId);

    /// <summary>Folder for a video's temporary working files (audio, frames); removed with the video.</summary>
    string WorkFolder(Guid videoId);

    /// <summary>Writes a stream to a temp file first and moves it into place, so no half-written file is ever
    /// visible under its final name. Returns the byte count and SHA-256. A failure to write (not to read
    /// <paramref name="content"/>) throws <see cref="MediaStoreWriteException"/>; nothing of the file is left.</summary>
    Task<StoredFile> SaveAsync(string relativePath, Stream content, long maxBytes, CancellationToken ct = default);

    Stream OpenRead(string relativePath);
    bool Exists(string relativePath);

    /// <summary>Deletes everything stored for a video (original, keyframes, thumbnails, work files).</summary>
    Task DeleteVideoAsync(Guid videoId, CancellationToken ct = default);
}

/// <summary>A file written by <see cref="IMediaStore.SaveAsync"/>.</summary>
public sealed record StoredFile(string RelativePath, long SizeBytes, string Sha256);

/// <summary>Thrown when an upload is larger than allowed; nothing of it is kept.</summary>
public sealed class FileTooLargeException(long maxBytes)
    : Exception($"The file is larger than the limit of {maxBytes} bytes.")
{
    public long MaxBytes { get; } = maxBytes;
}

/// <summary>The media folder could not take a file: its disk is full (<see cref="DiskFull"/>), or it is not writable or
/// failing. The message is for the log (it names the file); callers answer people with a sentence of their own.</summary>
public sealed class MediaStoreWriteException(string relativePath, Exception inner)
    : Exception($"Could not write {relativePath} to the media folder: {inner.Message}", inner)
{
    /// <summary>No space (or quota) left: ENOSPC/EDQUOT on Unix, ERROR_DISK_FULL/ERROR_HANDLE_DISK_FULL on Windows.</summary>
    public bool DiskFull { get; } = IsDiskFull(inner);

    public static bool IsDiskFull(Exception exception) =>
        exception is IOException io && (OperatingSystem.IsWindows() ? (io.HResult & 0xFFFF) is 0x70 or 0x27
            : OperatingSystem.IsMacOS() ? io.HResult is 28 or 69
            : io.HResult is 28 or 122);
}
