namespace Veeky.Jobs;

/// <summary>
/// The unit of work a job is enqueued in: the caller's database context, so the job row is saved in the same
/// transaction as the video row (Veeky.Infrastructure's <c>VeekyDbContext</c> is one). Nothing is saved here.
/// </summary>
public interface IJobStore
{
    /// <summary>The video's jobs that are queued or running.</summary>
    Task<List<IndexingJob>> UnfinishedJobsAsync(Guid videoId, CancellationToken ct = default);

    /// <summary>Adds the job to the unit of work; the caller saves it.</summary>
    void AddJob(IndexingJob job);
}
