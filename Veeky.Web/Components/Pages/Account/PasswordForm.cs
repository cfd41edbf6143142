namespace Veeky.Web.Components.Pages.Account;

/// <summary>What the password forms post; the new password is typed twice so a slip of the finger does not lock anyone out.</summary>
public sealed class PasswordForm
{
    public string? CurrentPassword { get; set; }
    public string? NewPassword { get; set; }
    public string? ConfirmPassword { get; set; }
}
