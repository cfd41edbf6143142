namespace Veeky.Web.Components.Pages.Admin;

/// <summary>What the add-webhook form posts (the ticked events come as the repeated "events" field).</summary>
public sealed class WebhookForm
{
    public string Url { get; set; } = "";
    public string? Secret { get; set; }
}
