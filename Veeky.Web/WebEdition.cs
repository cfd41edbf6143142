namespace Veeky.Web;

/// <summary>Which shape this host runs in: UI only, calling a separate API (distributed), or all-in-one (embedded).</summary>
public sealed record WebEdition(bool IsUiOnly);
