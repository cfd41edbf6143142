using System.ComponentModel.DataAnnotations;

namespace Veeky.Indexer.Worker;

/// <summary>How the indexer takes jobs (<c>Veeky:Indexer</c>).</summary>
public sealed record IndexerOptions
{
    public const string Section = "Veeky:Indexer";

    /// <summary>Videos indexed at once by this process. 1 by default: one video's stages already use two cores
    /// (audio beside video), and a second video would only slow both.</summary>
    [Range(1, 64)]
    public int Concurrency { get; set; } = 1;

    /// <summary>How long a claimed job stays this worker's without renewal (2 min). A worker that dies leaves the job
    /// to others after at most this long.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the lease is renewed (30 s): four chances before it runs out, and how soon a cancelled or
    /// deleted job is noticed at the latest.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:30:00")]
    public TimeSpan LeaseRenewal { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often an idle worker looks for jobs (1 s); an upload in the same process wakes it at once.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
