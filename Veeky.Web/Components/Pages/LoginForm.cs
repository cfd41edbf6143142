using System.ComponentModel.DataAnnotations;

namespace Veeky.Web.Components.Pages;

/// <summary>What the sign-in form posts.</summary>
public sealed class LoginForm
{
    [Required(ErrorMessage = "Enter your email address.")]
    [EmailAddress(ErrorMessage = "That does not look like an email address.")]
    public string Email { get; set; } = "";

    [Required(ErrorMessage = "Enter your password.")]
    public string Password { get; set; } = "";
}
