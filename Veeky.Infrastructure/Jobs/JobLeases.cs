using Microsoft.EntityFrameworkCore;
using Veeky.Data;

namespace Veeky.Jobs;

/// <summary>Who holds a job: one definition for the queue's own writes and for every write a worker makes on the job's
/// behalf (progress on the video row, stage data), so a worker whose lease was taken over cannot overwrite its successor.</summary>
public static class JobLeases
{
    /// <summary>The job, while it is running under <paramref name="workerId"/>'s lease (empty otherwise).</summary>
    public static IQueryable<IndexingJob> HeldBy(this IQueryable<IndexingJob> jobs, Guid jobId, string workerId) =>
        jobs.Where(j => j.Id == jobId && j.Status == JobStatus.Running && j.LeaseOwner == workerId);

    /// <summary>
    /// Inside the caller's open transaction: checks that <paramref name="lease"/> still holds and locks the job row until
    /// the transaction ends, so no takeover, reindex or cancellation can slip in between this check and the writes that
    /// follow. PostgreSQL locks the row with <c>SELECT ... FOR UPDATE</c> (a takeover's <c>SKIP LOCKED</c> claim passes it
    /// by); SQLite gets a no-op conditional UPDATE, which takes the database's write lock. Throws
    /// <see cref="JobLostException"/> when the job is no longer the worker's.
    /// </summary>
    public static async Task ConfirmLeaseAsync(this VeekyDbContext db, JobLease lease, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("A lease check locks the job row only inside a transaction.");
        }
        int held;
        if (db.Database.IsNpgsql())
        {
            var running = nameof(JobStatus.Running);
            held = (await db.Database.SqlQuery<Guid>($"""
                SELECT "Id" AS "Value" FROM "Jobs"
                WHERE "Id" = {lease.JobId} AND "Status" = {running} AND "LeaseOwner" = {lease.WorkerId}
                FOR UPDATE
                """).ToListAsync(ct)).Count;
        }
        else
        {
            held = await db.Jobs.HeldBy(lease.JobId, lease.WorkerId)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseOwner, lease.WorkerId), ct);
        }
        if (held == 0)
        {
            throw new JobLostException(lease.JobId);
        }
    }
}

/// <summary>The job a worker runs and the worker's id: what its writes on the job's behalf are checked against.</summary>
public sealed record JobLease(Guid JobId, string WorkerId);
