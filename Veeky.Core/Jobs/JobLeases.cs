namespace Veeky.Jobs;

/// <summary>Who holds a job: one definition for the queue's own writes and for every write a worker makes on the job's
/// behalf (progress on the video row), so a worker whose lease was taken over cannot overwrite its successor.</summary>
public static class JobLeases
{
    /// <summary>The job, while it is running under <paramref name="workerId"/>'s lease (empty otherwise).</summary>
    public static IQueryable<IndexingJob> HeldBy(this IQueryable<IndexingJob> jobs, Guid jobId, string workerId) =>
        jobs.Where(j => j.Id == jobId && j.Status == JobStatus.Running && j.LeaseOwner == workerId);
}
