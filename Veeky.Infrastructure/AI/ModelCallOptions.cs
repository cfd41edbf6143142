using System.ComponentModel.DataAnnotations;

namespace Veeky.AI;

/// <summary>How Veeky calls a model server: how long one attempt may take and how failed attempts are retried.</summary>
public abstract class ModelCallOptions(TimeSpan defaultTimeout)
{
    /// <summary>Longest one attempt may take, response included; each adapter's options explain their default.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "1.00:00:00")]
    public TimeSpan Timeout { get; set; } = defaultTimeout;

    /// <summary>Retries after a 5xx, 429 or connection error. Three retries ride out a model server restarting or
    /// loading a model (a few seconds) without hiding a server that is really down.</summary>
    [Range(0, 10)]
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>First retry delay; it doubles each attempt, with jitter so parallel workers do not retry in step.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);
}
