namespace Veeky.Indexer.Media;

/// <summary>What one pass over the video found: the scene cuts (seconds, in order) and the folder of candidate
/// keyframes, frame n showing time n × <paramref name="FrameInterval"/>.</summary>
public sealed record SceneScan(IReadOnlyList<double> Cuts, string FramesFolder, double FrameInterval)
{
    /// <summary>The saved frame nearest <paramref name="seconds"/>, if it exists and lies inside [start, end).</summary>
    public (string Path, double Time)? FrameNear(double seconds, double start, double end)
    {
        var index = (int)Math.Round(seconds / FrameInterval);
        var time = Math.Round(index * FrameInterval, 3);
        var path = Path.Combine(FramesFolder, $"{index:D6}.jpg");
        return time >= start && time < end && File.Exists(path) ? (path, time) : null;
    }
}
