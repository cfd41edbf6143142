using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Veeky.Api.Identity;
using Veeky.Api.Media;
using Veeky.Contracts;
using Veeky.Data;
using Veeky.Jobs;
using Veeky.Media;
using Veeky.Progress;
using Veeky.Videos;

namespace Veeky.Api.Videos;

/// <summary>
/// <c>POST /api/videos</c>: the upload. The file streams from the request body to disk (never whole in memory) while
/// the small text fields are buffered, whatever their order. A refused upload leaves no file and no row; an accepted
/// one is inserted together with its indexing job in one transaction.
/// </summary>
public static class VideoUploadEndpoint
{
    /// <summary>Text fields are short; anything larger is not a title or a keyword list.</summary>
    private const int MaxFieldBytes = 64 * 1024;

    /// <summary>Room for the text fields and multipart framing on top of the file's own limit.</summary>
    private const long EnvelopeBytes = 1024 * 1024;

    public static RouteHandlerBuilder MapVideoUpload(this RouteGroupBuilder group) =>
        group.MapPost("/", UploadAsync)
            .RequireAuthorization(ApiPolicies.Editor)
            // The size limit is Veeky:Upload:MaxBytes, enforced while streaming, not Kestrel's default 30 MB.
            .WithMetadata(new DisableRequestSizeLimitAttribute())
            .DisableAntiforgery()
            .Accepts<UploadForm>("multipart/form-data")
            .WithName("UploadVideo")
            .WithSummary("Uploads a video (multipart: file, title, categoryId, description, keywords) and queues its indexing.");

    public static async Task<Results<Accepted<VideoSummary>, ValidationProblem, ProblemHttpResult>> UploadAsync(
        HttpRequest request, VeekyDbContext db, CurrentUser currentUser, IMediaStore store, VideoIntake intake,
        MediaLinkSigner signer, IOptions<VeekyOptions> options, ILoggerFactory loggerFactory, CancellationToken ct)
    {
        var maxBytes = options.Value.Upload.MaxBytes;
        if (request.ContentLength - EnvelopeBytes > maxBytes)
        {
            return TooLarge(maxBytes);
        }
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(contentType.Boundary).Value is not { Length: > 0 } boundary)
        {
            return Invalid("file", "Send the video as multipart/form-data with a field named file.");
        }

        var scope = await currentUser.GetScopeAsync(ct);
        var videoId = Guid.CreateVersion7();
        var uploadPath = intake.UploadPath(videoId);
        var accepted = false;
        try
        {
            var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            StoredFile? file = null;
            string? originalName = null;
            var reader = new MultipartReader(boundary, request.Body);
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.IsFormDisposition() && !disposition.IsFileDisposition())
                {
                    continue;
                }
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                if (name.Equals("file", StringComparison.OrdinalIgnoreCase) && disposition.IsFileDisposition())
                {
                    if (file is not null)
                    {
                        return Invalid("file", "Send one file per upload.");
                    }
                    originalName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                    file = await store.SaveAsync(uploadPath, section.Body, maxBytes, ct);
                }
                else if (await ReadFieldAsync(section.Body, ct) is { } value)
                {
                    fields[name] = value;
                }
                else
                {
                    return Invalid(name, $"The field {name} is too long.");
                }
            }

            var errors = new Dictionary<string, string[]>();
            var categoryId = Guid.TryParse(fields.GetValueOrDefault("categoryId"), out var parsed) ? parsed : (Guid?)null;
            await VideoMetadataRules.ValidateAsync(fields.GetValueOrDefault("title"), fields.GetValueOrDefault("description"),
                categoryId, scope, db, errors, ct);
            if (file is null)
            {
                errors["file"] = ["A video file is required."];
            }
            else if (file.SizeBytes == 0)
            {
                errors["file"] = ["The file is empty."];
            }
            if (errors.Count > 0)
            {
                return TypedResults.ValidationProblem(errors);
            }

            var video = await intake.AcceptFileAsync(db, videoId, file!,
                new NewVideo(fields["title"], fields.GetValueOrDefault("description"), VideoMetadataRules.ParseKeywords(fields.GetValueOrDefault("keywords")),
                    categoryId!.Value, scope.UserId, originalName), ct);
            if (video is null)
            {
                return Invalid("file", "The file is not a video that can be read (ffprobe found no video stream with a duration).");
            }
            accepted = true;
            return TypedResults.Accepted($"/api/videos/{videoId}", VideoSummary.From(video, signer, store));
        }
        catch (FileTooLargeException)
        {
            return TooLarge(maxBytes);
        }
        catch (MediaStoreWriteException ex)
        {
            // The server's fault, not the sender's: the log gets the path and the cause, the uploader a sentence.
            loggerFactory.CreateLogger(typeof(VideoUploadEndpoint)).LogError(ex, "Could not store the upload of video {VideoId}", videoId);
            return ex.DiskFull
                ? TypedResults.Problem("The server has no room left to store this video. An administrator needs to free space in its media folder; then try again.",
                    statusCode: StatusCodes.Status507InsufficientStorage, title: "Insufficient storage")
                : TypedResults.Problem("The server could not store this video. Try again later; if it keeps failing, an administrator can find the cause in the server log.",
                    statusCode: StatusCodes.Status500InternalServerError, title: "Upload not stored");
        }
        catch (InvalidDataException ex)
        {
            // Malformed multipart framing.
            return Invalid("file", $"The multipart body could not be read: {ex.Message}");
        }
        catch (IOException) when (!ct.IsCancellationRequested)
        {
            // A body that ends before its first or closing boundary (an empty one, a truncated one) is bad input too.
            return Invalid("file", "The multipart body ended before it was complete.");
        }
        finally
        {
            if (!accepted)
            {
                await DiscardAsync(store, videoId, loggerFactory);
            }
        }
    }

    /// <summary>The field's text, or null when it exceeds <see cref="MaxFieldBytes"/>.</summary>
    private static async Task<string?> ReadFieldAsync(Stream body, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxFieldBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    internal static async Task DiscardAsync(IMediaStore store, Guid videoId, ILoggerFactory loggerFactory)
    {
        try
        {
            await store.DeleteVideoAsync(videoId, CancellationToken.None);
        }
        catch (IOException ex)
        {
            loggerFactory.CreateLogger(typeof(VideoUploadEndpoint)).LogWarning(ex, "Could not delete the refused upload {VideoId}", videoId);
        }
    }

    private static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    private static ProblemHttpResult TooLarge(long maxBytes) =>
        TypedResults.Problem($"The file is larger than the upload limit of {maxBytes} bytes (Veeky:Upload:MaxBytes).",
            statusCode: StatusCodes.Status413PayloadTooLarge, title: "Upload too large");
}

/// <summary>The multipart fields of an upload, for the OpenAPI document (the handler reads the body as a stream).</summary>
public sealed record UploadForm(IFormFile File, string Title, Guid CategoryId, string? Description, string? Keywords);
