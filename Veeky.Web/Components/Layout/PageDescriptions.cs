namespace Veeky.Web.Components.Layout;

/// <summary>
/// The <c>&lt;meta name="description"&gt;</c> of each page, by its address: what a search result or a shared link's
/// preview says about the page. One place, so every page has one without each page carrying its own.
/// </summary>
public static class PageDescriptions
{
    public static string For(PathString path) => path.Value switch
    {
        null or "" or "/" => "Your video library: every video you can see, searchable by what is said and shown in it.",
        "/search" or "/search/results" => "Find the moment in your videos where something was said or shown.",
        "/upload" or "/upload/link" => "Upload videos, or import them from a link, to index what is said and shown in them.",
        "/login" => "Sign in to Veeky, the video library you search by what is said and shown.",
        "/account" => "Your Veeky account: your password and where you are signed in.",
        "/account/api-keys" => "API keys that let scripts and MCP clients use Veeky as you.",
        "/reset-password" => "Choose a new password for your Veeky account.",
        "/videos/bulk" => "Move, reindex or delete several videos at once.",
        var p when p.StartsWith("/videos/", StringComparison.Ordinal) && p.EndsWith("/edit", StringComparison.Ordinal) =>
            "Edit a video's title, description, keywords and category.",
        var p when p.StartsWith("/videos/", StringComparison.Ordinal) =>
            "A video with its chapters, its transcript and the moments found in it.",
        var p when p.StartsWith("/share/", StringComparison.Ordinal) => "A video shared from a Veeky library.",
        var p when p.StartsWith("/admin", StringComparison.Ordinal) =>
            "Run this Veeky instance: users, categories, indexing, models and webhooks.",
        _ => "Veeky: find the moment in your videos by what is said and shown.",
    };
}
