using System.ComponentModel.DataAnnotations;

namespace Veeky.Indexer.Text;

/// <summary>How on-screen text is read from keyframes (<c>Veeky:Indexer:TextReading</c>).</summary>
public sealed record TextReadingOptions
{
    public const string Section = "Veeky:Indexer:TextReading";

    /// <summary>The tesseract executable; the ReadText stage is skipped when it is not installed.</summary>
    [Required]
    public string TesseractPath { get; set; } = "tesseract";

    /// <summary>Tesseract language(s), e.g. <c>eng</c> or <c>eng+deu</c>.</summary>
    [Required]
    public string Language { get; set; } = "eng";

    /// <summary>Page segmentation mode. 11 (sparse text) finds scattered titles and captions on pictures; 6 (one block)
    /// read nothing at all from a word over a busy test pattern in our sample videos.</summary>
    [Range(0, 13)]
    public int PageSegmentationMode { get; set; } = 11;

    /// <summary>Words tesseract is less sure of than this (0..100) are dropped: textures and edges come back as
    /// one- or two-letter guesses below 60, real text scores above 80.</summary>
    [Range(0, 100)]
    public double MinConfidence { get; set; } = 60;

    /// <summary>Words need at least this many letters or digits, so stray punctuation from patterns is dropped.</summary>
    [Range(1, 10)]
    public int MinAlphanumerics { get; set; } = 2;

    /// <summary>Keyframes lower than this (pixels) are enlarged 2x as grayscale before reading: at 360p a word on a busy
    /// background is missed at its own size and read at 2x, while at 720p and above the enlargement only doubles the
    /// time tesseract takes.</summary>
    [Range(0, 10000)]
    public int UpscaleBelowHeight { get; set; } = 720;

    /// <summary>Luma (0..255) from which a pixel counts as bright text in the second reading. White captions over a busy
    /// picture defeat tesseract's own thresholding; a mask of only the brightest pixels reads them reliably, and 200
    /// still keeps yellow (luma 226) captions.</summary>
    [Range(1, 255)]
    public int BrightTextLuma { get; set; } = 200;

    /// <summary>Keyframes read at once, each tesseract limited to one thread: its OpenMP threads only contend with each
    /// other on a small machine (0.45 s a keyframe with them, 0.21 s without, measured on two cores).</summary>
    [Range(1, 64)]
    public int Parallelism { get; set; } = 2;
}
