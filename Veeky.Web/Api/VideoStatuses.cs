namespace Veeky.Web.Api;

/// <summary>The status names of API.md.</summary>
public static class VideoStatuses
{
    public const string Pending = "Pending";
    public const string Processing = "Processing";
    public const string Completed = "Completed";
    public const string Failed = "Failed";
}
