namespace Veeky.Captions;

/// <summary>One caption on screen: its time span in seconds and its one or two lines of text.</summary>
public sealed record CaptionCue(double Start, double End, IReadOnlyList<string> Lines);
