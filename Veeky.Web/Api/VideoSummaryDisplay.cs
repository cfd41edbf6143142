using Veeky.Contracts;

namespace Veeky.Web.Api;

/// <summary>What the pages derive from the wire records; kept here so the records stay plain data and their JSON
/// stays exactly API.md's.</summary>
public static class VideoSummaryDisplay
{
    extension(VideoSummary video)
    {
        /// <summary>Still waiting for or going through the indexer.</summary>
        public bool IsProcessing => video.Status is VideoStatuses.Pending or VideoStatuses.Processing;
    }

    extension(VideoEditRequest)
    {
        /// <summary>The video's fields as they are, to change one of them (a bulk move changes the category only).</summary>
        public static VideoEditRequest From(VideoSummary video) =>
            new(video.Title, video.Description, video.Keywords, video.CategoryId);
    }
}
