using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Veeky.Contracts;
using Veeky.Data;
using Veeky.Identity;

namespace Veeky.Api.Identity;

/// <summary><c>/api/users</c> (Admin): who may sign in, their role and their categories.</summary>
public static class UserEndpoints
{
    public static RouteGroupBuilder MapUserEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/users").WithTags("Users").RequireAuthorization(ApiPolicies.Admin);
        group.MapGet("/", ListAsync).WithName("ListUsers").WithSummary("All users with their role and categories.");
        group.MapPost("/", CreateAsync).WithName("CreateUser").WithSummary("Creates a user with a password, a role and categories.");
        group.MapPut("/{id:guid}", UpdateAsync).WithName("UpdateUser").WithSummary("Changes a user's role and categories.");
        group.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteUser").WithSummary("Deletes a user.");
        return group;
    }

    public static async Task<Ok<List<UserSummary>>> ListAsync(VeekyDbContext db, CancellationToken ct)
    {
        var users = await db.Users.AsNoTracking().Include(u => u.Categories).OrderBy(u => u.Email).ToListAsync(ct);
        return TypedResults.Ok(users.Select(UserSummary.From).ToList());
    }

    public static async Task<Results<Created<UserSummary>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateUserRequest request, UserManager<VeekyUser> users, VeekyDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var role = Roles.Normalize(request.Role);
        if (string.IsNullOrWhiteSpace(request.Email) || !request.Email.Contains('@'))
        {
            errors["email"] = ["An email address is required."];
        }
        if (string.IsNullOrEmpty(request.Password))
        {
            errors["password"] = ["A password is required."];
        }
        if (role is null)
        {
            errors["role"] = [$"The role must be one of {string.Join(", ", Roles.All)}."];
        }
        var categoryIds = (request.CategoryIds ?? []).Distinct().ToList();
        await ValidateCategoriesAsync(db, categoryIds, errors, ct);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        if (await users.FindByEmailAsync(request.Email!) is not null)
        {
            return EmailTaken(request.Email!);
        }

        var user = new VeekyUser
        {
            UserName = request.Email,
            Email = request.Email,
            Role = role!,
            CreatedAt = clock.GetUtcNow(),
            Categories = categoryIds.Select(id => new UserCategory { CategoryId = id }).ToList(),
        };
        var result = await users.CreateAsync(user, request.Password!);
        if (!result.Succeeded)
        {
            if (result.Errors.Any(e => e.Code is "DuplicateEmail" or "DuplicateUserName"))
            {
                return EmailTaken(request.Email!);
            }
            return TypedResults.ValidationProblem(ToValidationErrors(result));
        }
        return TypedResults.Created($"/api/users/{user.Id}", UserSummary.From(user));
    }

    public static async Task<Results<Ok<UserSummary>, NotFound, ValidationProblem>> UpdateAsync(
        Guid id, UpdateUserRequest request, VeekyDbContext db, CancellationToken ct)
    {
        var user = await db.Users.Include(u => u.Categories).FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            return TypedResults.NotFound();
        }
        var errors = new Dictionary<string, string[]>();
        var role = Roles.Normalize(request.Role);
        if (role is null)
        {
            errors["role"] = [$"The role must be one of {string.Join(", ", Roles.All)}."];
        }
        var categoryIds = (request.CategoryIds ?? []).Distinct().ToList();
        await ValidateCategoriesAsync(db, categoryIds, errors, ct);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        user.Role = role!;
        user.Categories.RemoveAll(c => !categoryIds.Contains(c.CategoryId));
        foreach (var categoryId in categoryIds.Where(c => user.Categories.All(uc => uc.CategoryId != c)))
        {
            user.Categories.Add(new UserCategory { UserId = user.Id, CategoryId = categoryId });
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(UserSummary.From(user));
    }

    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> DeleteAsync(
        Guid id, UserManager<VeekyUser> users, VeekyDbContext db, CurrentUser currentUser, CancellationToken ct)
    {
        if (id == currentUser.Id)
        {
            return TypedResults.Problem("You cannot delete your own account.", statusCode: StatusCodes.Status409Conflict);
        }
        var user = await users.FindByIdAsync(id.ToString());
        if (user is null)
        {
            return TypedResults.NotFound();
        }
        if (await db.Videos.AnyAsync(v => v.UploaderId == id, ct))
        {
            return TypedResults.Problem("The user uploaded videos; delete those videos first, or change the user's role instead.",
                statusCode: StatusCodes.Status409Conflict);
        }
        await users.DeleteAsync(user);
        return TypedResults.NoContent();
    }

    private static async Task ValidateCategoriesAsync(VeekyDbContext db, List<Guid> categoryIds, Dictionary<string, string[]> errors, CancellationToken ct)
    {
        if (categoryIds.Count == 0)
        {
            return;
        }
        var known = await db.Categories.CountAsync(c => categoryIds.Contains(c.Id), ct);
        if (known != categoryIds.Count)
        {
            errors["categoryIds"] = ["Some of the categories do not exist."];
        }
    }

    private static ProblemHttpResult EmailTaken(string email) =>
        TypedResults.Problem($"A user with the email {email} already exists.", statusCode: StatusCodes.Status409Conflict);

    private static Dictionary<string, string[]> ToValidationErrors(IdentityResult result) =>
        result.Errors
            .GroupBy(e => e.Code.StartsWith("Password", StringComparison.Ordinal) ? "password"
                : e.Code.Contains("Email", StringComparison.Ordinal) || e.Code.Contains("UserName", StringComparison.Ordinal) ? "email"
                : "user")
            .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray());
}
