using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Veeky.Contracts;
using Veeky.Data;
using Veeky.Identity;

namespace Veeky.Api.Identity;

/// <summary><c>/api/auth/keys</c>: API keys for scripts and MCP clients, made by any signed-in user for themselves.
/// Admins list (<c>?userId=</c>) and revoke anyone's.</summary>
public static class ApiKeyEndpoints
{
    public const int MaxNameLength = Limits.ApiKeyNameLength;
    public const int MaxExpiresInDays = Limits.ApiKeyLifetimeDays;

    public static RouteGroupBuilder MapApiKeyEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/auth/keys").WithTags("API keys").RequireAuthorization();
        group.MapPost("/", CreateAsync).WithName("CreateApiKey")
            .WithSummary("Makes an API key for the caller; the key is in this answer only. Needs a signed-in session, not a key.");
        group.MapGet("/", ListAsync).WithName("ListApiKeys")
            .WithSummary("The caller's API keys without their secrets; admins may name another user with ?userId=.");
        group.MapDelete("/{id:guid}", RevokeAsync).WithName("RevokeApiKey")
            .WithSummary("Revokes an API key of the caller (admins: anyone's); it is refused from the next request.");
        return group;
    }

    public static async Task<Results<Created<CreatedApiKey>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateApiKeyRequest request, HttpContext context, CurrentUser currentUser, VeekyDbContext db, TimeProvider clock,
        CancellationToken ct)
    {
        // A stolen key must not be able to mint keys that outlive its own revocation.
        if (context.User.HasClaim(c => c.Type == ApiKeyAuthenticationHandler.KeyIdClaim))
        {
            return TypedResults.Problem("API keys are made from a signed-in session, not with another API key.",
                statusCode: StatusCodes.Status403Forbidden, title: "Sign in to make keys");
        }
        var errors = new Dictionary<string, string[]>();
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            errors["name"] = ["Give the key a name, e.g. what will use it."];
        }
        else if (name.Length > MaxNameLength)
        {
            errors["name"] = [$"Keep the name to {MaxNameLength} characters."];
        }
        if (request.ExpiresInDays is < 1 or > MaxExpiresInDays)
        {
            errors["expiresInDays"] = [$"expiresInDays runs from 1 to {MaxExpiresInDays}; leave it out for a key that does not expire."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var scope = await currentUser.GetScopeAsync(ct);
        var (secret, hash, shown) = ApiKeySecret.Create();
        var now = clock.GetUtcNow();
        var key = new ApiKey
        {
            Id = Guid.CreateVersion7(),
            UserId = scope.UserId,
            Name = name!,
            Hash = hash,
            Prefix = shown,
            CreatedAt = now,
            ExpiresAt = request.ExpiresInDays is { } days ? now.AddDays(days) : null,
        };
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/auth/keys/{key.Id}", new CreatedApiKey(key.Id, key.Name, secret, key.CreatedAt, key.ExpiresAt));
    }

    public static async Task<Results<Ok<List<ApiKeySummary>>, ForbidHttpResult>> ListAsync(
        Guid? userId, CurrentUser currentUser, VeekyDbContext db, CancellationToken ct)
    {
        var scope = await currentUser.GetScopeAsync(ct);
        var owner = userId ?? scope.UserId;
        if (owner != scope.UserId && !scope.IsAdmin)
        {
            return TypedResults.Forbid();
        }
        var keys = await db.ApiKeys.AsNoTracking().Where(k => k.UserId == owner).ToListAsync(ct);
        return TypedResults.Ok(keys.OrderByDescending(k => k.CreatedAt).Select(ApiKeySummary.From).ToList());
    }

    public static async Task<Results<NoContent, NotFound>> RevokeAsync(
        Guid id, CurrentUser currentUser, VeekyDbContext db, CancellationToken ct)
    {
        var scope = await currentUser.GetScopeAsync(ct);
        // Another user's key answers 404 like a missing one: whether it exists is not told.
        var deleted = await db.ApiKeys.Where(k => k.Id == id && (scope.IsAdmin || k.UserId == scope.UserId)).ExecuteDeleteAsync(ct);
        return deleted == 0 ? TypedResults.NotFound() : TypedResults.NoContent();
    }
}
