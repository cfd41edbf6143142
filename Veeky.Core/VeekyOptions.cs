using System.ComponentModel.DataAnnotations;

namespace Veeky;

/// <summary>Settings under the <c>Veeky</c> configuration section; the data and media folders are <see cref="VeekyDataOptions"/>.</summary>
public sealed class VeekyOptions
{
    public const string Section = "Veeky";

    [Required]
    public UploadOptions Upload { get; set; } = new();

    public BootstrapAdminOptions BootstrapAdmin { get; set; } = new();
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
