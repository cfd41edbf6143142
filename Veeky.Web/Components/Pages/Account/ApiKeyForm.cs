namespace Veeky.Web.Components.Pages.Account;

/// <summary>What the new-key form posts; an empty <see cref="ExpiresInDays"/> is a key that does not expire.</summary>
public sealed class ApiKeyForm
{
    public string Name { get; set; } = "";
    public int? ExpiresInDays { get; set; } = 90;
}
