using Veeky.Api.Media;
using Veeky.Contracts;
using Veeky.Media;
using Veeky.Videos;

namespace Veeky.Api.Videos;

/// <summary>How a video and its segments go on the wire: the contract records, with signed media links.</summary>
public static class VideoAnswers
{
    extension(VideoSummary)
    {
        public static VideoSummary From(Video video, MediaLinkSigner signer, IMediaStore store) => new(
            video.Id, video.Title, video.Description, video.Keywords, video.CategoryId, video.UploaderId,
            video.Status.ToString(), video.Stage.ToString(), video.Progress, video.Error,
            video.DurationSeconds, video.Width, video.Height, video.SizeBytes, video.ContentType, video.SegmentCount, video.Summary,
            signer.Sign(MediaLinks.StreamPath(video.Id)),
            // No link before the indexer made the thumbnail: a broken image is worse than a placeholder.
            store.Exists(store.ThumbnailPath(video.Id)) ? signer.Sign(MediaLinks.ThumbnailPath(video.Id)) : null,
            video.CreatedAt, video.UpdatedAt,
            // Captions exist once speech is transcribed (a silent video has none to offer).
            HasSpeech(video) ? signer.Sign(MediaLinks.WebVttCaptionsPath(video.Id)) : null,
            HasSpeech(video) ? signer.Sign(MediaLinks.SubRipCaptionsPath(video.Id)) : null);
    }

    extension(VideoSegment)
    {
        public static VideoSegment From(Segment segment, MediaLinkSigner signer) => new(
            segment.Index, segment.Start, segment.End, segment.Transcript, segment.OcrText, segment.Caption, segment.Keywords,
            segment.KeyframePath is null ? null : signer.Sign(MediaLinks.KeyframePath(segment.VideoId, segment.Index)),
            // The endpoint falls back to the keyframe when no small copy exists, so the link needs no file check here.
            segment.KeyframePath is null ? null : signer.Sign(MediaLinks.SegmentThumbnailPath(segment.VideoId, segment.Index)));
    }

    extension(VideoProgress)
    {
        public static VideoProgress From(Video video) =>
            new(video.Id, video.Status.ToString(), video.Stage.ToString(), video.Progress, video.Error, video.UpdatedAt);
    }

    private static bool HasSpeech(Video video) => video.TranscriptJson is { Length: > 2 };
}
