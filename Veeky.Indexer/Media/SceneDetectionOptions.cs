using System.ComponentModel.DataAnnotations;

namespace Veeky.Indexer.Media;

/// <summary>How videos are cut into segments (<c>Veeky:Indexer:SceneDetection</c>).</summary>
public sealed record SceneDetectionOptions
{
    public const string Section = "Veeky:Indexer:SceneDetection";

    /// <summary>ffmpeg scene score (0..1) above which a frame starts a new scene. 0.2 still catches a cut between two
    /// flat colours of similar brightness (dark green to maroon scores 0.23), while motion inside a shot stays well
    /// below it; the minimum segment length absorbs the occasional flash.</summary>
    [Range(0.01, 0.99)]
    public double Threshold { get; set; } = 0.2;

    /// <summary>Shortest segment in seconds (1.5 s): a cut closer than that to the previous one is ignored, so a flash
    /// or a fast montage does not make moments nobody could land on.</summary>
    [Range(0.1, 600)]
    public double MinSegmentSeconds { get; set; } = 1.5;

    /// <summary>Longest segment in seconds (30 s): longer scenes (a talking head, a slide) are split evenly, so a search
    /// hit still lands near the moment rather than at the start of a ten-minute shot.</summary>
    [Range(1, 3600)]
    public double MaxSegmentSeconds { get; set; } = 30;

    /// <summary>Width the frames are scaled to before scoring; 0 (the default) scores the decoded picture itself. The
    /// score is a mean absolute difference, which ffmpeg's SIMD computes on a full 720p frame in a fraction of the time
    /// any swscale downscale takes (at 160 px that downscale was a third of the pass's cost beyond decoding), and it
    /// finds the same cuts on clean video. A width such as 160 averages heavy grain away before scoring, at that cost.</summary>
    [Range(0, 1920)]
    public int AnalysisWidth { get; set; }

    /// <summary>ffmpeg scaler for that optional downscale: <c>fast_bilinear</c> costs a fraction of the default bicubic.</summary>
    [Required]
    public string Scaler { get; set; } = "fast_bilinear";

    /// <summary>Seconds between the full-size frames saved during the scene pass, from which each segment's keyframe is
    /// picked (the one nearest its middle). One a second costs about 1/30 of a 30 fps video in JPEG encoding and puts
    /// every keyframe within half a second of its segment's middle.</summary>
    [Range(0.1, 60)]
    public double CandidateFrameSeconds { get; set; } = 1;

    /// <summary>JPEG quality of those frames as ffmpeg's <c>-q:v</c> (2 best .. 31 worst); they become the keyframes,
    /// so 3, sharp enough for OCR.</summary>
    [Range(2, 31)]
    public int CandidateQuality { get; set; } = 3;
}
