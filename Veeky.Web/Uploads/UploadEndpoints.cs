using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Veeky.Web.Sessions;

namespace Veeky.Web.Uploads;

/// <summary><c>POST /upload</c>: the upload page's form target, which streams the file on to the API.</summary>
public static class UploadEndpoints
{
    public static IEndpointRouteBuilder MapUploadEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/upload", UploadAsync)
            .RequireAuthorization(WebSession.UploaderPolicy)
            // The /upload page (a Razor component endpoint) also accepts POST; this endpoint must win.
            .WithOrder(-1)
            .ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> UploadAsync(HttpContext context, IAntiforgery antiforgery, IOptions<AntiforgeryOptions> antiforgeryOptions,
        UploadProxy proxy)
    {
        // The API enforces Veeky:Upload:MaxBytes; this host only passes bytes through, so it sets no limit of its own.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }
        var wantsJson = UploadProxy.WantsJson(context.Request);
        if (!context.Request.HasFormContentType)
        {
            return TypedResults.Problem("Send the video as multipart/form-data.", statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        // The upload script sends the token as a header; a plain form carries it in the body. Taken from there, it is
        // checked as if it were the header, so the antiforgery check never reads (and buffers) the whole form.
        var body = context.Request.Body;
        var headerName = antiforgeryOptions.Value.HeaderName!;
        if (!context.Request.Headers.ContainsKey(headerName))
        {
            var form = await UploadFormToken.ReadAsync(context.Request, antiforgeryOptions.Value.FormFieldName, context.RequestAborted);
            context.Request.Headers[headerName] = form.Token ?? "";
            body = form.Body;
        }
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            const string refused = "The upload form has expired. Reload the page and try again.";
            return wantsJson
                ? TypedResults.Problem(refused, statusCode: StatusCodes.Status400BadRequest)
                : TypedResults.LocalRedirect("/upload?error=" + Uri.EscapeDataString(refused));
        }

        var outcome = await proxy.ForwardAsync(context.Request, body, context.RequestAborted);
        if (outcome.Video is { } video)
        {
            var page = $"/videos/{video.Id}";
            return wantsJson ? TypedResults.Json(new { id = video.Id, location = page }, statusCode: outcome.StatusCode) : TypedResults.LocalRedirect(page);
        }
        var message = outcome.Problem?.Message ?? "The upload was refused.";
        return wantsJson
            ? TypedResults.Problem(message, statusCode: outcome.StatusCode)
            : TypedResults.LocalRedirect("/upload?error=" + Uri.EscapeDataString(message));
    }
}
