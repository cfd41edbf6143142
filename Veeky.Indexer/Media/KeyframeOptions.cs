using System.ComponentModel.DataAnnotations;

namespace Veeky.Indexer.Media;

/// <summary>How keyframes and thumbnails are taken (<c>Veeky:Indexer:Keyframes</c>).</summary>
public sealed record KeyframeOptions
{
    public const string Section = "Veeky:Indexer:Keyframes";

    /// <summary>JPEG quality as ffmpeg's <c>-q:v</c> (2 best .. 31 worst). 3 keeps small text sharp enough for OCR.</summary>
    [Range(2, 31)]
    public int Quality { get; set; } = 3;

    /// <summary>Width of the video's thumbnail in the library (320 px, twice the size it is shown at for sharp screens).</summary>
    [Range(16, 1920)]
    public int ThumbnailWidth { get; set; } = 320;

    /// <summary>Keyframes taken at once. Each ffmpeg seek is mostly single-threaded decoding; two fill two cores.</summary>
    [Range(1, 64)]
    public int Parallelism { get; set; } = 2;
}
