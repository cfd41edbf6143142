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
public sealed class QueryEmbeddings(
    IEmbeddingGenerator<string, Embedding<float>>? text,
    IEmbeddingGenerator<string, Embedding<float>>? image,
    IConfigStore? configs,
    VeekyDbContext db,
    ILogger logger)
{
    /// <summary>The models this host has, each optional (no model, no leg). The one place that looks them up, because
    /// which exist depends on configuration: endpoints take a <see cref="QueryEmbeddings"/> parameter (bound by
    /// <see cref="BindAsync"/>), the MCP tools get one from the services (registered with this).</summary>
    public static QueryEmbeddings From(IServiceProvider services) => new(
        // The cached query generator where the host has one; else the text generator itself (a test's, say).
        services.GetKeyedService<IEmbeddingGenerator<string, Embedding<float>>>(AIServiceKeys.QueryEmbeddings)
            ?? services.GetService<IEmbeddingGenerator<string, Embedding<float>>>(),
        services.GetKeyedService<IEmbeddingGenerator<string, Embedding<float>>>(AIServiceKeys.ImageEmbeddings),
        services.GetService<IConfigStore>(),
        services.GetRequiredService<VeekyDbContext>(),
        services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(QueryEmbeddings)));

    /// <summary>Minimal API binding: a handler parameter of this type gets the request's models.</summary>
    public static ValueTask<QueryEmbeddings?> BindAsync(HttpContext context) =>
        ValueTask.FromResult<QueryEmbeddings?>(From(context.RequestServices));

    /// <summary>Whether a text embedding model is configured, so semantic search can run at all.</summary>
    public bool HasTextModel => text is not null;

    /// <summary>Embeds <paramref name="query"/> for a search under <paramref name="scope"/>, optionally narrowed to one category.</summary>
    public async Task<QueryVectors> EmbedAsync(string query, AccessScope scope, Guid? categoryId, CancellationToken ct)
    {
        var textTask = TextAsync(query, ct);
        var imageVector = await ImageAsync(query, scope, categoryId, ct);
        return new QueryVectors(await textTask, imageVector);
    }

    private async Task<float[]?> TextAsync(string query, CancellationToken ct)
    {
        if (text is null)
        {
            return null;
        }
        try
        {
            var model = configs is null ? null : (await configs.GetLlmSettingAsync(LlmPurposes.Embedding, ct))?.Model;
            var options = new EmbeddingGenerationOptions { ModelId = string.IsNullOrWhiteSpace(model) ? null : model };
            return (await text.GenerateVectorAsync(query, options, ct)).ToArray();
        }
        catch (Exception ex) when (ModelFailures.IsModelFailure(ex, ct))
        {
            logger.LogWarning(ex, "The text embedding of the query failed; searching without the semantic leg");
            return null;
        }
    }

    private async Task<float[]?> ImageAsync(string query, AccessScope scope, Guid? categoryId, CancellationToken ct)
    {
        if (image is null)
        {
            return null;
        }
        var model = await ImageModelAsync(db, scope, categoryId, ct);
        if (model is null)
        {
            return null;
        }
        try
        {
            return (await image.GenerateVectorAsync(query, new EmbeddingGenerationOptions { ModelId = model }, ct)).ToArray();
        }
        catch (Exception ex) when (ModelFailures.IsModelFailure(ex, ct))
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
}

/// <summary>The query's vectors; either may be null (no model, or the model failed).</summary>
public sealed record QueryVectors(float[]? Text, float[]? Image)
{
    public static QueryVectors None { get; } = new(null, null);

    public bool IsEmpty => Text is null && Image is null;
}
