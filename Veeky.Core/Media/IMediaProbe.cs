namespace Veeky.Media;

/// <summary>Reads what a media file holds.</summary>
public interface IMediaProbe
{
    /// <summary>The file's video facts, or null when it is not a readable video with a duration.</summary>
    Task<MediaInfo?> ProbeAsync(string path, CancellationToken ct = default);
}

/// <summary>Facts about a video file.</summary>
public sealed record MediaInfo(
    double DurationSeconds,
    int Width,
    int Height,
    double FrameRate,
    bool HasAudio,
    string FormatName,
    string VideoCodec)
{
    /// <summary>The MIME type to serve the file with, from the container format.</summary>
    public string ContentType => FormatName switch
    {
        var f when f.Contains("mp4") || f.Contains("mov") => "video/mp4",
        var f when f.Contains("webm") => "video/webm",
        var f when f.Contains("matroska") => "video/x-matroska",
        var f when f.Contains("avi") => "video/x-msvideo",
        var f when f.Contains("mpegts") => "video/mp2t",
        var f when f.Contains("ogg") => "video/ogg",
        _ => "application/octet-stream",
    };

    /// <summary>The extension a stored file of this container gets: from what the file is, never from a client's name for it.</summary>
    public string FileExtension => ContentType switch
    {
        "video/mp4" => ".mp4",
        "video/webm" => ".webm",
        "video/x-matroska" => ".mkv",
        "video/x-msvideo" => ".avi",
        "video/mp2t" => ".ts",
        "video/ogg" => ".ogv",
        _ => ".bin",
    };
}
