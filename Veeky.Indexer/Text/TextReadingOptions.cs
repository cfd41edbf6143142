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

    // The second page tesseract reads is a mask of caption pixels: bright, and brighter than the mean of their surroundings
    // (a square of a fortieth of the picture's height). White captions over a busy picture defeat tesseract's own
    // thresholding of the plain page; a caption's dark outline pulls its surroundings' mean down, while a large bright
    // area (a white slide, a yellow bar of a test pattern) equals its own mean and stays out of the mask. The four values
    // below read the most words of the generated test set (scripts/bench-ocr); a bright margin of 70 or 90 reads 2-5%
    // fewer.

    /// <summary>Luma (0..255) from which a pixel can be white caption text (white is 255 after JPEG; a yellow bar 226).</summary>
    [Range(1, 255)]
    public int WhiteTextLuma { get; set; } = 240;

    /// <summary>How much brighter than its surroundings a white caption pixel must be: little, as nothing but white passes
    /// <see cref="WhiteTextLuma"/>.</summary>
    [Range(0, 255)]
    public int WhiteTextMargin { get; set; } = 12;

    /// <summary>Luma (0..255) from which a pixel can be coloured caption text: 200 keeps yellow (226) captions.</summary>
    [Range(1, 255)]
    public int BrightTextLuma { get; set; } = 200;

    /// <summary>How much brighter than its surroundings a coloured caption pixel must be: much, so a bright yellow or cyan
    /// area beside white letters (brighter than the letters' dark outline) does not join them in the mask.</summary>
    [Range(0, 255)]
    public int BrightTextMargin { get; set; } = 80;

    /// <summary>Keyframes read at once, each tesseract limited to one thread: its OpenMP threads only contend with each
    /// other on a small machine (0.45 s a keyframe with them, 0.21 s without, measured on two cores).</summary>
    [Range(1, 64)]
    public int Parallelism { get; set; } = 2;
}
