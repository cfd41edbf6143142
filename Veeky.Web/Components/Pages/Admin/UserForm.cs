using Veeky.Web.Sessions;

namespace Veeky.Web.Components.Pages.Admin;

/// <summary>What the create-user form posts; the category checkboxes are read from the form as a list.</summary>
public sealed class UserForm
{
    public string Email { get; set; } = "";
    public string Password { get; set; } = "";
    public string Role { get; set; } = WebSession.UserRole;
}
