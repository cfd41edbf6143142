using Veeky.Data;
using Veeky.Jobs;
using Veeky.Media;
using Veeky.Progress;
using Veeky.Videos;

namespace Veeky.Api.Videos;

/// <summary>What a new video is called and where it belongs, as its sender gave it (already validated).</summary>
public sealed record NewVideo(string Title, string? Description, IReadOnlyList<string> Keywords, Guid CategoryId, Guid UploaderId,
    string? OriginalFileName);

/// <summary>
/// The one way a video enters Veeky, for the upload, the watch folder and import by URL: the file (or, for an import, the
/// link the first indexing stage downloads) becomes a video row inserted together with its indexing job in one
/// transaction, the in-process worker is woken and listeners hear of it. A reindex queues a stored video the same way.
/// </summary>
public sealed class VideoIntake(IMediaStore store, IMediaProbe probe, IJobQueue jobs, JobSignal jobSignal,
    IProgressBroadcaster progress, TimeProvider clock, ILogger<VideoIntake> logger)
{
    /// <summary>Streamed under this neutral name first: the real extension is known only once ffprobe has read the file.</summary>
    private const string UploadExtension = ".upload";

    /// <summary>Where a new video's file is written before <see cref="AcceptFileAsync"/>.</summary>
    public string UploadPath(Guid videoId) => store.OriginalPath(videoId, UploadExtension);

    /// <summary>Probes the file stored at <see cref="UploadPath"/>, renames it for what it is and inserts the video with its
    /// job. Null when the file is not a readable video (the caller refuses it and deletes the video's files).</summary>
    public async Task<Video?> AcceptFileAsync(VeekyDbContext db, Guid videoId, StoredFile file, NewVideo details, CancellationToken ct)
    {
        var info = await probe.ProbeAsync(store.GetFullPath(file.RelativePath), ct);
        if (info is null)
        {
            return null;
        }
        var storagePath = store.OriginalPath(videoId, info.FileExtension);
        File.Move(store.GetFullPath(file.RelativePath), store.GetFullPath(storagePath));
        var video = Create(videoId, details, storagePath);
        video.SizeBytes = file.SizeBytes;
        video.Sha256 = file.Sha256;
        video.ApplyProbe(info);
        await InsertAsync(db, video, ct);
        return video;
    }

    /// <summary>Inserts a video whose file is still at <paramref name="sourceUrl"/>, with its job: the job's first stage
    /// downloads it (with the upload's size limit and probe) before indexing starts.</summary>
    public async Task<Video> AcceptLinkAsync(VeekyDbContext db, Guid videoId, Uri sourceUrl, NewVideo details, CancellationToken ct)
    {
        // Not there yet: the download stage writes the file and sets the real path, size and hash.
        var video = Create(videoId, details, store.OriginalPath(videoId, ".download"));
        video.SourceUrl = sourceUrl.AbsoluteUri;
        await InsertAsync(db, video, ct);
        return video;
    }

    private Video Create(Guid videoId, NewVideo details, string storagePath)
    {
        var now = clock.GetUtcNow();
        return new Video
        {
            Id = videoId,
            Title = details.Title.Trim(),
            Description = string.IsNullOrWhiteSpace(details.Description) ? null : details.Description.Trim(),
            Keywords = VideoMetadataRules.CleanKeywords(details.Keywords),
            CategoryId = details.CategoryId,
            UploaderId = details.UploaderId,
            StoragePath = storagePath,
            OriginalFileName = details.OriginalFileName is null ? null : Path.GetFileName(details.OriginalFileName),
            Sha256 = "",
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    /// <summary>Queues a stored video for indexing again (reindex): back to <c>Pending</c> at the first stage, its new
    /// job superseding any unfinished one, committed together.</summary>
    public Task RequeueAsync(VeekyDbContext db, Video video, CancellationToken ct)
    {
        video.Status = VideoStatus.Pending;
        video.Stage = VideoStage.Queued;
        video.Progress = 0;
        video.Error = null;
        video.UpdatedAt = clock.GetUtcNow();
        return QueueAsync(db, video, ct);
    }

    private Task InsertAsync(VeekyDbContext db, Video video, CancellationToken ct)
    {
        db.Videos.Add(video);
        return QueueAsync(db, video, ct);
    }

    /// <summary>"Queue for indexing", the one copy: the job row commits with the video's changes, the in-process worker
    /// is woken and listeners hear the new state.</summary>
    private async Task QueueAsync(VeekyDbContext db, Video video, CancellationToken ct)
    {
        await jobs.EnqueueAsync(db, video.Id, ct);
        await db.SaveChangesAsync(ct); // video row and job commit together
        jobSignal.Notify(); // an in-process worker starts at once instead of at its next poll
        try
        {
            await progress.PublishAsync(VideoEndpoints.ToProgressEvent(video), CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The video is stored and queued; a listener that missed this event hears of it at the first progress.
            logger.LogWarning(ex, "Could not announce the queued video {VideoId}", video.Id);
        }
    }
}
