using Veeky.Contracts;

namespace Veeky.Web.Api;

public sealed partial class VeekyApiClient
{
    /// <summary>Queues a video from an http(s) link (<c>POST /api/videos/import</c>); the indexer downloads it first.</summary>
    public Task<VideoSummary> ImportVideoAsync(ImportVideoRequest request, CancellationToken ct = default) =>
        SendAsync<VideoSummary>(HttpMethod.Post, "api/videos/import", request, ct);
}
