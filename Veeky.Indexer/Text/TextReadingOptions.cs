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

    /// <summary>Factor the keyframe is enlarged by (as grayscale) before reading: tesseract reads text best at 20-40 px
    /// letter height, and 2x recovers the word on a busy background that it misses at the original size.</summary>
    [Range(1, 4)]
    public int Upscale { get; set; } = 2;

    /// <summary>Keyframes read at once (tesseract is mostly single-threaded per image).</summary>
    [Range(1, 64)]
    public int Parallelism { get; set; } = 2;
}
