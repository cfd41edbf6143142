using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;

namespace Veeky.Web.Sessions;

/// <summary>The sign-out endpoint; signing in is the <c>/login</c> page's form.</summary>
public static class SessionEndpoints
{
    public static IEndpointRouteBuilder MapSessionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/logout", SignOutAsync).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> SignOutAsync(HttpContext context, IAntiforgery antiforgery, SessionSignIn sessions)
    {
        // Read the session cookie by name: whatever the host's default scheme is (the API's bearer in the all-in-one
        // host), the form's antiforgery token was issued to the signed-in user and is checked against that user.
        var session = await context.AuthenticateAsync(WebSession.Scheme);
        if (session is not { Succeeded: true, Principal: not null, Properties: not null })
        {
            // No session to end, so nothing a forged form could harm: clear whatever is left and go to sign-in.
            await SessionSignIn.SignOutAsync(context);
            return TypedResults.LocalRedirect("/login");
        }
        context.User = session.Principal;
        // A cross-site page must not be able to sign people out: the form carries the antiforgery token.
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return TypedResults.Problem("The sign-out form has expired. Reload the page and try again.", statusCode: StatusCodes.Status400BadRequest);
        }
        await sessions.SignOutAsync(context, session.Properties);
        return TypedResults.LocalRedirect("/login");
    }
}
