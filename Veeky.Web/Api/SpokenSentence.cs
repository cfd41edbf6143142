namespace Veeky.Web.Api;

/// <summary>One sentence of <c>GET /api/videos/{id}/sentences</c>: where it starts and ends (seconds) and what was said.</summary>
public sealed record SpokenSentence(double Start, double End, string Text);
