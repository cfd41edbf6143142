using System.ComponentModel.DataAnnotations;

namespace Veeky.Import;

/// <summary>Settings under <c>Veeky:Import</c>: import by URL and the watch folder.</summary>
public sealed class ImportOptions
{
    public const string Section = "Veeky:Import";

    /// <summary>Lets imports fetch from loopback and private networks (an intranet video server, tests). Off by default:
    /// otherwise any editor could make the server read its own network.</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>How long a download by URL may receive nothing before it fails: a server that stalls mid-body would
    /// otherwise hold an indexer slot forever. A minute outlasts a busy server's hiccups.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00",
        ErrorMessage = "Veeky:Import:DownloadIdleTimeout must be from 00:00:01 to 01:00:00 (how long a download may receive nothing before it fails).")]
    public TimeSpan DownloadIdleTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The watch folder: a video file in <c>{Folder}/{category name}/</c> is imported into that category. Unset:
    /// no watch folder.</summary>
    public string? Folder { get; set; }

    /// <summary>Seconds a file's size must stay unchanged before it is imported. Five seconds outlasts the pauses of
    /// a copy over a network share without making people wait long.</summary>
    [Range(0, 3600)]
    public int SettleSeconds { get; set; } = 5;

    /// <summary>Email of the user the watch folder imports as; the first admin when unset.</summary>
    public string? UploaderEmail { get; set; }

    /// <summary>Deletes an imported file instead of moving it to <c>.imported/</c>.</summary>
    public bool DeleteImported { get; set; }

    /// <summary>How often the watch folder is looked at: every couple of seconds costs nothing and feels prompt.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a replica's hold on the watch folder lasts without renewal before another takes over.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);
}
