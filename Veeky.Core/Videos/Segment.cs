namespace Veeky.Videos;

/// <summary>One moment of a video: the span between two scene cuts, with what was said and shown in it.</summary>
public sealed class Segment
{
    public Guid VideoId { get; set; }
    public int Index { get; set; }
    public double Start { get; set; }
    public double End { get; set; }
    public string? Transcript { get; set; }
    public string? OcrText { get; set; }
    public string? Caption { get; set; }
    public List<string> Keywords { get; set; } = [];
    /// <summary>Keyframe JPEG relative to the media root, or null before keyframes are extracted.</summary>
    public string? KeyframePath { get; set; }
    /// <summary>Time of the keyframe inside the video, in seconds.</summary>
    public double? KeyframeTime { get; set; }
}
