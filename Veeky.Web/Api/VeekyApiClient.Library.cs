using System.Globalization;
using Veeky.Contracts;
using Veeky.Web.Library;

namespace Veeky.Web.Api;

/// <summary>The library's calls: the filtered, sorted list and editing a video.</summary>
public sealed partial class VeekyApiClient
{
    /// <summary>One page of the videos matching the library's address; the API filters and sorts in its database query.</summary>
    public Task<VideoPage> GetLibraryAsync(LibraryAddress address, int pageSize, CancellationToken ct = default) =>
        GetAsync<VideoPage>("api/videos" + QueryString(
            ("q", address.Query), ("status", address.Status), ("categoryId", address.CategoryId?.ToString()),
            ("uploaderId", address.UploaderId?.ToString()), ("sort", address.Sort == LibraryAddress.DefaultSort ? null : address.Sort),
            ("page", address.Page.ToString(CultureInfo.InvariantCulture)), ("pageSize", pageSize.ToString(CultureInfo.InvariantCulture))), ct);

    /// <summary>Replaces the video's title, description, keywords and category (owner Editor or Admin; 403 otherwise).</summary>
    public Task<VideoSummary> UpdateVideoAsync(Guid id, VideoEditRequest edit, CancellationToken ct = default) =>
        SendAsync<VideoSummary>(HttpMethod.Put, $"api/videos/{id}", edit, ct);
}
