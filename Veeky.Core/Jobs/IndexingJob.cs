using Veeky.Videos;

namespace Veeky.Jobs;

/// <summary>
/// A durable request to index one video. A worker holds it through a lease; a lease that runs out (the worker died)
/// makes the job claimable again, and the pipeline resumes after the last checkpointed stage.
/// </summary>
public sealed class IndexingJob
{
    public Guid Id { get; set; }
    public Guid VideoId { get; set; }
    public JobStatus Status { get; set; } = JobStatus.Queued;
    /// <summary>Attempts started so far (a claim counts as one).</summary>
    public int Attempts { get; set; }
    /// <summary>Earliest time the job may be claimed (backoff after a failure).</summary>
    public DateTimeOffset RunAfter { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LeaseExpiresAt { get; set; }
    /// <summary>Stages finished and checkpointed, comma separated (<see cref="VideoStage"/> names).</summary>
    public string CompletedStages { get; set; } = "";
    public string? Error { get; set; }
    /// <summary>W3C traceparent of the request that queued the job, so indexing joins the upload's trace.</summary>
    public string? TraceParent { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public IReadOnlySet<VideoStage> GetCompletedStages() =>
        CompletedStages.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => Enum.Parse<VideoStage>(s))
            .ToHashSet();
}

public enum JobStatus { Queued, Running, Succeeded, Failed, Cancelled }
