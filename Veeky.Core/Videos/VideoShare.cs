namespace Veeky.Videos;

/// <summary>A link that lets anyone holding it watch one video from a moment, without signing in, until it expires or
/// is revoked.</summary>
public sealed class VideoShare
{
    /// <summary>Random (version 4), so it cannot be guessed; the link also carries a signature of it.</summary>
    public Guid Id { get; set; }
    public Guid VideoId { get; set; }
    /// <summary>Where playback starts, in seconds.</summary>
    public double Start { get; set; }
    public Guid CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}
