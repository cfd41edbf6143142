namespace Veeky.Web.Api;

/// <summary>The answer of <c>GET /api/ask/availability</c>: whether a chat model is there to answer questions.</summary>
public sealed record AskAvailability(bool Available);
