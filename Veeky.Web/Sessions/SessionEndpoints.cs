using Microsoft.AspNetCore.Antiforgery;

namespace Veeky.Web.Sessions;

/// <summary>The sign-out endpoint; signing in is the <c>/login</c> page's form.</summary>
public static class SessionEndpoints
{
    public static IEndpointRouteBuilder MapSessionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/logout", SignOutAsync).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> SignOutAsync(HttpContext context, IAntiforgery antiforgery)
    {
        // A cross-site page must not be able to sign people out: the form carries the antiforgery token.
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return TypedResults.Problem("The sign-out form has expired. Reload the page and try again.", statusCode: StatusCodes.Status400BadRequest);
        }
        await SessionSignIn.SignOutAsync(context);
        return TypedResults.LocalRedirect("/login");
    }
}
