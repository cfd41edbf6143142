using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Veeky.AI;
using Veeky.Configs;
using Veeky.Data;
using Veeky.Identity;

namespace Veeky.Api.Search;

/// <summary>
/// The vectors a search or a question is compared with: the text embedding of the query (the admin's embedding
/// model, the one the indexer embedded segments with) and, where the searched categories name an image embedding
/// model, the same query embedded by that image-text model (compared with keyframe embeddings). A model that fails
/// only drops its leg: the search still answers, with words alone if need be.
/// </summary>
public static class QueryEmbeddings
{
    /// <summary>Embeds <paramref name="query"/> for a search under <paramref name="scope"/>, optionally narrowed to one category.</summary>
    public static async Task<QueryVectors> EmbedAsync(IServiceProvider services, string query, AccessScope scope, Guid? categoryId,
        CancellationToken ct)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(QueryEmbeddings));
        var textTask = TextAsync(services, query, logger, ct);
        var image = await ImageAsync(services, query, scope, categoryId, logger, ct);
        return new QueryVectors(await textTask, image);
    }

    private static async Task<float[]?> TextAsync(IServiceProvider services, string query, ILogger logger, CancellationToken ct)
    {
        // The cached query generator where the host has one; else the text generator itself (a test's, say).
        if ((services.GetKeyedService<IEmbeddingGenerator<string, Embedding<float>>>(AIServiceKeys.QueryEmbeddings)
             ?? services.GetService<IEmbeddingGenerator<string, Embedding<float>>>()) is not { } embeddings)
        {
            return null;
        }
        try
        {
            var model = services.GetService<IConfigStore>() is { } configs
                ? (await configs.GetLlmSettingAsync(LlmPurposes.Embedding, ct))?.Model
                : null;
            var options = new EmbeddingGenerationOptions { ModelId = string.IsNullOrWhiteSpace(model) ? null : model };
            return (await embeddings.GenerateVectorAsync(query, options, ct)).ToArray();
        }
        catch (Exception ex) when (IsModelFailure(ex, ct))
        {
            logger.LogWarning(ex, "The text embedding of the query failed; searching without the semantic leg");
            return null;
        }
    }

    private static async Task<float[]?> ImageAsync(IServiceProvider services, string query, AccessScope scope, Guid? categoryId,
        ILogger logger, CancellationToken ct)
    {
        if (services.GetKeyedService<IEmbeddingGenerator<string, Embedding<float>>>(AIServiceKeys.ImageEmbeddings) is not { } images)
        {
            return null;
        }
        var model = await ImageModelAsync(services.GetRequiredService<VeekyDbContext>(), scope, categoryId, ct);
        if (model is null)
        {
            return null;
        }
        try
        {
            return (await images.GenerateVectorAsync(query, new EmbeddingGenerationOptions { ModelId = model }, ct)).ToArray();
        }
        catch (Exception ex) when (IsModelFailure(ex, ct))
        {
            logger.LogWarning(ex, "The image-text embedding of the query with {Model} failed; searching without the image leg", model);
            return null;
        }
    }

    /// <summary>
    /// The image model the searched keyframes were embedded with: the category's when one is searched, else the one
    /// model every visible category with an image model names. Several models (vectors of different spaces) or none:
    /// null, no image leg.
    /// </summary>
    internal static async Task<string?> ImageModelAsync(VeekyDbContext db, AccessScope scope, Guid? categoryId, CancellationToken ct)
    {
        var categories = db.Categories.AsNoTracking().Where(c => c.ImageEmbeddingModel != null && c.ImageEmbeddingModel != "");
        if (categoryId is { } id)
        {
            if (!scope.CanSee(id))
            {
                return null;
            }
            categories = categories.Where(c => c.Id == id);
        }
        else if (scope.CategoryFilter is { } visible)
        {
            var ids = visible.ToList();
            categories = categories.Where(c => ids.Contains(c.Id));
        }
        var models = await categories.Select(c => c.ImageEmbeddingModel!).Distinct().Take(2).ToListAsync(ct);
        return models.Count == 1 ? models[0] : null;
    }

    /// <summary>A model server's refusal or absence, or its timeout; the caller's own cancellation is not a failure.</summary>
    internal static bool IsModelFailure(Exception ex, CancellationToken ct) =>
        ex is ModelServerException or HttpRequestException or System.Text.Json.JsonException or InvalidOperationException
        || ex is OperationCanceledException && !ct.IsCancellationRequested;
}

/// <summary>The query's vectors; either may be null (no model, or the model failed).</summary>
public sealed record QueryVectors(float[]? Text, float[]? Image)
{
    public static QueryVectors None { get; } = new(null, null);

    public bool IsEmpty => Text is null && Image is null;
}
