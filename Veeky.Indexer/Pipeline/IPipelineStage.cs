using Veeky.Data;
using Veeky.Jobs;
using Veeky.Videos;

namespace Veeky.Indexer.Pipeline;

/// <summary>
/// One step of indexing a video. A stage reads what earlier stages stored in the database, does its work, and saves
/// its own result before returning; running it again replaces that result (retries must be safe).
/// </summary>
public interface IPipelineStage
{
    /// <summary>The stage this class performs; also its checkpoint name.</summary>
    VideoStage Stage { get; }

    /// <summary>Stages whose results this one reads; it starts once they are all done.</summary>
    IReadOnlyList<VideoStage> DependsOn { get; }

    /// <summary>Share of the whole job's cost, for the progress shown to users (the weights add up to about 1).</summary>
    double Weight { get; }

    Task<StageResult> RunAsync(StageContext context, CancellationToken ct);
}

/// <summary>What a stage is given: the video, its working folder, where to report its own progress (0..1) and the job's
/// lease its saves are checked against (null only when a stage runs outside a job, e.g. in a test).</summary>
public sealed record StageContext(Guid VideoId, string WorkFolder, IProgress<double> Progress, JobLease? Lease = null)
{
    /// <summary>Runs <paramref name="writes"/> in a transaction on <paramref name="db"/> that first confirms and locks the
    /// job's lease, so a stalled worker whose job was taken over writes nothing (it gets <see cref="JobLostException"/>).
    /// Writes to the search index made inside also happen only while the lease holds.</summary>
    public async Task<T> SaveAsync<T>(VeekyDbContext db, Func<Task<T>> writes, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await ConfirmLeaseAsync(db, ct);
        var result = await writes();
        await transaction.CommitAsync(ct);
        return result;
    }

    /// <summary>Saves the tracked changes of <paramref name="db"/> under the lease (see <see cref="SaveAsync{T}"/>).</summary>
    public Task<int> SaveChangesAsync(VeekyDbContext db, CancellationToken ct) => SaveAsync(db, () => db.SaveChangesAsync(ct), ct);

    /// <summary>Confirms and locks the lease inside a transaction the stage opened itself.</summary>
    public async Task ConfirmLeaseAsync(VeekyDbContext db, CancellationToken ct)
    {
        if (Lease is not null)
        {
            await db.ConfirmLeaseAsync(Lease, ct);
        }
    }
}

/// <summary>How a stage ended: <see cref="SkippedReason"/> is set when a tool or model is missing.</summary>
public sealed record StageResult(int? SegmentCount = null, string? SkippedReason = null)
{
    public static StageResult Done(int? segmentCount = null) => new(segmentCount);

    public static StageResult Skipped(string reason) => new(null, reason);
}
