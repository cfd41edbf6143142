using Veeky.Contracts;
using Veeky.Web.Api;

namespace Veeky.Web.Uploads;

/// <summary>What the API made of an upload: the accepted video, or the refusal with its problem details.</summary>
public sealed record UploadOutcome(int StatusCode, VideoSummary? Video, ApiProblem? Problem);
