using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.AI;
using Veeky.AI;
using Veeky.Api.Identity;
using Veeky.Api.Media;
using Veeky.Contracts;
using Veeky.Data;
using Veeky.Search;

namespace Veeky.Api.Search;

/// <summary>
/// <c>POST /api/search/image</c>: moments whose keyframe looks like a picture ("where does this slide appear?"). The
/// picture is embedded by the image model the searched categories' keyframes were embedded with, and compared with
/// them in the vector leg, with the caller's categories inside that leg as in every search.
/// </summary>
public static class ImageSearchEndpoint
{
    /// <summary>A screenshot or a photo of a slide; larger files are not pictures people paste into a search box.</summary>
    public const long MaxImageBytes = 10 * 1024 * 1024;

    private const int MaxLimit = Limits.SearchResults;
    private const string Setting = "ConnectionStrings:image-embeddings";

    public static RouteHandlerBuilder MapImageSearch(this RouteGroupBuilder group) =>
        group.MapPost("/search/image", SearchAsync)
            // Bearer-token API: no cookie, so no cross-site form to forge.
            .DisableAntiforgery()
            .Accepts<ImageSearchForm>("multipart/form-data")
            .WithName("SearchByImage")
            .WithSummary("Moments whose keyframe looks like the picture (multipart: file, JPEG/PNG/WebP up to 10 MB; categoryId, videoId, limit, offset).");

    public static async Task<Results<Ok<SearchResults>, ValidationProblem, ProblemHttpResult>> SearchAsync(
        HttpRequest request, ISearchIndex index, CurrentUser currentUser, MediaLinkSigner signer, VeekyDbContext db,
        [FromKeyedServices(AIServiceKeys.ImageEmbeddings)] IEmbeddingGenerator<DataContent, Embedding<float>>? generator,
        ILoggerFactory loggerFactory, CancellationToken ct)
    {
        if (request.ContentLength > MaxImageBytes + 64 * 1024)
        {
            return TooLarge();
        }
        if (!request.HasFormContentType)
        {
            return Invalid("file", "Send the picture as multipart/form-data with a field named file.");
        }
        IFormCollection form;
        try
        {
            request.HttpContext.Features.Set<IFormFeature>(new FormFeature(request, new FormOptions { MultipartBodyLengthLimit = MaxImageBytes + 64 * 1024 }));
            form = await request.ReadFormAsync(ct);
        }
        catch (InvalidDataException)
        {
            return TooLarge();
        }
        var errors = new Dictionary<string, string[]>();
        var file = form.Files.GetFile("file");
        var categoryId = ReadGuid(form, "categoryId", errors);
        var videoId = ReadGuid(form, "videoId", errors);
        var limit = ReadInt(form, "limit", 10, 1, MaxLimit, errors);
        var offset = ReadInt(form, "offset", 0, 0, int.MaxValue, errors);
        byte[]? bytes = null;
        string? mediaType = null;
        if (file is null || file.Length == 0)
        {
            errors["file"] = ["Choose a picture (JPEG, PNG or WebP) to search with."];
        }
        else if (file.Length > MaxImageBytes)
        {
            return TooLarge();
        }
        else
        {
            bytes = new byte[file.Length];
            await using (var stream = file.OpenReadStream())
            {
                await stream.ReadExactlyAsync(bytes, ct);
            }
            mediaType = ImageType(bytes);
            if (mediaType is null)
            {
                errors["file"] = ["The file is not a JPEG, PNG or WebP picture."];
            }
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var started = Stopwatch.GetTimestamp();
        var scope = await currentUser.GetScopeAsync(ct);
        var model = generator is null ? null : await QueryEmbeddings.ImageModelAsync(db, scope, categoryId, ct);
        if (generator is null || model is null)
        {
            return TypedResults.Problem(
                $"Search by picture needs an image embedding model: set {Setting} (Endpoint=…) and give the categories searched one " +
                "image embedding model (Admin → Categories), then reindex their videos.",
                statusCode: StatusCodes.Status400BadRequest, title: "No image embedding model");
        }
        float[] vector;
        try
        {
            var embedding = await generator.GenerateAsync([new DataContent(bytes!, mediaType!)], new EmbeddingGenerationOptions { ModelId = model }, ct);
            vector = embedding[0].Vector.ToArray();
        }
        catch (Exception ex) when (ModelFailures.IsModelFailure(ex, ct))
        {
            return ModelFailures.Problem(ex, loggerFactory.CreateLogger(typeof(ImageSearchEndpoint)), "The image model failed",
                "The image embedding model did not answer. Try again in a moment.", withServerSentence: false);
        }
        var result = await index.SearchAsync(new SearchRequest("", scope, SearchMode.Semantic, categoryId, videoId, limit, offset,
            QueryImageEmbedding: vector), ct);
        return TypedResults.Ok(SearchResults.From("", result, started, signer));
    }

    /// <summary>The picture's type from its first bytes: the client's content type and file name are not trusted.</summary>
    internal static string? ImageType(ReadOnlySpan<byte> bytes) => bytes switch
    {
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, ..] => "image/png",
        [0x52, 0x49, 0x46, 0x46, _, _, _, _, 0x57, 0x45, 0x42, 0x50, ..] => "image/webp",
        _ => null,
    };

    private static Guid? ReadGuid(IFormCollection form, string name, Dictionary<string, string[]> errors)
    {
        var value = form[name].ToString();
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        if (Guid.TryParse(value, out var id))
        {
            return id;
        }
        errors[name] = [$"{name} is an id (a GUID)."];
        return null;
    }

    private static int ReadInt(IFormCollection form, string name, int fallback, int min, int max, Dictionary<string, string[]> errors)
    {
        var value = form[name].ToString();
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }
        if (int.TryParse(value, out var number) && number >= min && number <= max)
        {
            return number;
        }
        errors[name] = [max == int.MaxValue ? $"{name} is a whole number from {min}." : $"{name} runs from {min} to {max}."];
        return fallback;
    }

    private static ProblemHttpResult TooLarge() =>
        TypedResults.Problem($"The picture is larger than {MaxImageBytes / (1024 * 1024)} MB.", statusCode: StatusCodes.Status413PayloadTooLarge,
            title: "Picture too large");

    private static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>The form as OpenAPI documents it.</summary>
    public sealed record ImageSearchForm(IFormFile File, Guid? CategoryId, Guid? VideoId, int? Limit, int? Offset);
}
