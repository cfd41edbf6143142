using System.ComponentModel.DataAnnotations;

namespace Veeky;

/// <summary>Settings under the <c>Veeky</c> configuration section.</summary>
public sealed class VeekyOptions
{
    public const string Section = "Veeky";

    /// <summary>Folder holding veeky.db, search.db and media/ in the embedded edition.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>Media root; defaults to <c>{DataDirectory}/media</c>. In the distributed edition a shared volume.</summary>
    public string? MediaDirectory { get; set; }

    [Required]
    public UploadOptions Upload { get; set; } = new();

    public BootstrapAdminOptions BootstrapAdmin { get; set; } = new();

    public string ResolvedMediaDirectory => Path.GetFullPath(MediaDirectory ?? Path.Combine(DataDirectory, "media"));
}

public sealed class UploadOptions
{
    /// <summary>Largest accepted upload. 4 GiB covers an hour of 1080p at common bitrates.</summary>
    [Range(1, long.MaxValue)]
    public long MaxBytes { get; set; } = 4L * 1024 * 1024 * 1024;
}

public sealed class BootstrapAdminOptions
{
    /// <summary>Email of the admin created when no user exists; <c>admin@veeky.local</c> when unset.</summary>
    public string? Email { get; set; }
    /// <summary>Password of that admin; a random one is generated and logged once when unset.</summary>
    public string? Password { get; set; }
}
