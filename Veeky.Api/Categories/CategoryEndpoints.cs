using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Veeky.Api.Identity;
using Veeky.Contracts;
using Veeky.Data;
using Veeky.Videos;

namespace Veeky.Api.Categories;

/// <summary><c>/api/categories</c>: everyone lists the categories they can see; admins manage them.</summary>
public static class CategoryEndpoints
{
    private const int MaxNameLength = Limits.CategoryNameLength;

    public static RouteGroupBuilder MapCategoryEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/categories").WithTags("Categories").RequireAuthorization();
        group.MapGet("/", ListAsync).WithName("ListCategories").WithSummary("The categories the caller can see.");
        group.MapPost("/", CreateAsync).RequireAuthorization(ApiPolicies.Admin)
            .WithName("CreateCategory").WithSummary("Creates a category.");
        group.MapPut("/{id:guid}", UpdateAsync).RequireAuthorization(ApiPolicies.Admin)
            .WithName("UpdateCategory").WithSummary("Renames a category or changes its image embedding model.");
        group.MapDelete("/{id:guid}", DeleteAsync).RequireAuthorization(ApiPolicies.Admin)
            .WithName("DeleteCategory").WithSummary("Deletes a category no video uses.");
        return group;
    }

    public static async Task<Ok<List<CategorySummary>>> ListAsync(VeekyDbContext db, CurrentUser currentUser, CancellationToken ct)
    {
        var scope = await currentUser.GetScopeAsync(ct);
        IQueryable<Category> categories = db.Categories.AsNoTracking();
        if (scope.CategoryFilter is { } visible)
        {
            var ids = visible.ToList();
            categories = categories.Where(c => ids.Contains(c.Id));
        }
        var list = await categories.OrderBy(c => c.Name).Select(c => new CategorySummary(c.Id, c.Name, c.ImageEmbeddingModel)).ToListAsync(ct);
        return TypedResults.Ok(list);
    }

    public static async Task<Results<Created<CategorySummary>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CategoryRequest request, VeekyDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (Validate(request) is { } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var name = request.Name!.Trim();
        if (await db.Categories.AnyAsync(c => c.Name == name, ct))
        {
            return NameTaken(name);
        }
        var category = new Category
        {
            Id = Guid.CreateVersion7(),
            Name = name,
            ImageEmbeddingModel = Blank(request.ImageEmbeddingModel),
            CreatedAt = clock.GetUtcNow(),
        };
        db.Categories.Add(category);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/categories/{category.Id}", CategorySummary.From(category));
    }

    public static async Task<Results<Ok<CategorySummary>, NotFound, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        Guid id, CategoryRequest request, VeekyDbContext db, CancellationToken ct)
    {
        if (Validate(request) is { } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var category = await db.Categories.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (category is null)
        {
            return TypedResults.NotFound();
        }
        var name = request.Name!.Trim();
        if (await db.Categories.AnyAsync(c => c.Name == name && c.Id != id, ct))
        {
            return NameTaken(name);
        }
        category.Name = name;
        category.ImageEmbeddingModel = Blank(request.ImageEmbeddingModel);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(CategorySummary.From(category));
    }

    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> DeleteAsync(Guid id, VeekyDbContext db, CancellationToken ct)
    {
        var category = await db.Categories.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (category is null)
        {
            return TypedResults.NotFound();
        }
        if (await db.Videos.AnyAsync(v => v.CategoryId == id, ct))
        {
            return TypedResults.Problem($"Videos still use the category {category.Name}; move or delete them first.",
                statusCode: StatusCodes.Status409Conflict);
        }
        db.Categories.Remove(category);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static Dictionary<string, string[]>? Validate(CategoryRequest request)
    {
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength)
        {
            return new() { ["name"] = [$"The name must have 1 to {MaxNameLength} characters."] };
        }
        return null;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static ProblemHttpResult NameTaken(string name) =>
        TypedResults.Problem($"A category named {name} already exists.", statusCode: StatusCodes.Status409Conflict);
}

/// <summary>How a category goes on the wire.</summary>
public static class CategoryAnswers
{
    extension(CategorySummary)
    {
        public static CategorySummary From(Category category) => new(category.Id, category.Name, category.ImageEmbeddingModel);
    }
}
