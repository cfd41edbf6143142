namespace Veeky.Web.Media;

/// <summary>Maps <see cref="MediaRelay"/> for the API's per-video media paths (distributed edition only).</summary>
public static class MediaRelayEndpoints
{
    public static IEndpointRouteBuilder MapMediaRelayEndpoints(this IEndpointRouteBuilder app)
    {
        // Access is the API's to decide: a signed link needs no session, an unsigned one needs the session's token,
        // which the relay's client adds when there is one.
        app.MapGet("/api/videos/{id:guid}/{**media}", (HttpContext context, MediaRelay relay) => relay.RelayAsync(context))
            .ExcludeFromDescription();
        return app;
    }
}
