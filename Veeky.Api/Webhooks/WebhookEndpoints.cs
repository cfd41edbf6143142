using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Veeky.Api.Identity;
using Veeky.Contracts;
using Veeky.Data;
using Veeky.Net;
using Veeky.Webhooks;

namespace Veeky.Api.Webhooks;

/// <summary><c>/api/webhooks</c> (Admin): addresses that get a signed POST when a video completes, fails or is deleted,
/// and the recent deliveries to each.</summary>
public static class WebhookEndpoints
{
    /// <summary>Recent deliveries listed per webhook: enough to see what went wrong lately.</summary>
    public const int DeliveryListSize = 50;

    public static RouteGroupBuilder MapWebhookEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/webhooks").WithTags("Webhooks").RequireAuthorization(ApiPolicies.Admin);
        group.MapPost("/", CreateAsync).WithName("CreateWebhook")
            .WithSummary("Registers a URL for video events; the answer shows the signing secret, this once.");
        group.MapGet("/", ListAsync).WithName("ListWebhooks").WithSummary("The registered webhooks, without their secrets.");
        group.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteWebhook")
            .WithSummary("Removes the webhook and its pending deliveries.");
        group.MapGet("/{id:guid}/deliveries", ListDeliveriesAsync).WithName("ListWebhookDeliveries")
            .WithSummary($"The webhook's {DeliveryListSize} most recent deliveries, newest first.");
        return group;
    }

    public static async Task<Results<Created<CreatedWebhook>, ValidationProblem>> CreateAsync(
        WebhookRequest request, VeekyDbContext db, CurrentUser currentUser, WebhookSecrets secrets,
        IOptions<WebhookOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var url = request.Url?.Trim();
        if (string.IsNullOrEmpty(url) || url.Length > Limits.UrlLength || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || PublicAddressRule.SchemeRefusal(uri) is not null)
        {
            errors["url"] = [$"url must be an absolute http or https address of at most {Limits.UrlLength} characters."];
        }
        else if (!options.Value.AllowPrivateNetworks && await PublicAddressRule.RefusalAsync(uri, ct) is { } refusal)
        {
            errors["url"] = [$"{refusal} ({WebhookOptions.Section}:AllowPrivateNetworks allows it.)"];
        }
        var events = (request.Events ?? []).Select(e => e?.Trim() ?? "").Distinct().ToList();
        if (events.Count == 0 || events.Any(e => !WebhookEvents.All.Contains(e)))
        {
            errors["events"] = [$"events must name one or more of {string.Join(", ", WebhookEvents.All)}."];
        }
        if (request.Secret is { } given && (given.Length < Limits.WebhookSecretMinLength || given.Length > Limits.WebhookSecretMaxLength || string.IsNullOrWhiteSpace(given)))
        {
            errors["secret"] = [$"secret, when given, must be {Limits.WebhookSecretMinLength} to {Limits.WebhookSecretMaxLength} characters; leave it out to have one generated."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var secret = request.Secret ?? WebhookSignature.NewSecret();
        var user = await currentUser.GetScopeAsync(ct);
        var webhook = new Webhook
        {
            Id = Guid.CreateVersion7(),
            Url = url!,
            // In the order the contract lists them, whatever order they came in.
            Events = string.Join(',', WebhookEvents.All.Where(events.Contains)),
            ProtectedSecret = secrets.Protect(secret),
            CreatedBy = user.UserId,
            CreatedAt = clock.GetUtcNow(),
        };
        db.Webhooks.Add(webhook);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/webhooks/{webhook.Id}",
            new CreatedWebhook(webhook.Id, webhook.Url, webhook.EventList, secret, webhook.CreatedAt));
    }

    public static async Task<Ok<List<WebhookSummary>>> ListAsync(VeekyDbContext db, CancellationToken ct)
    {
        var webhooks = await db.Webhooks.AsNoTracking().OrderBy(w => w.CreatedAt).ToListAsync(ct);
        return TypedResults.Ok(webhooks.Select(w => new WebhookSummary(w.Id, w.Url, w.EventList, w.CreatedAt)).ToList());
    }

    public static async Task<Results<NoContent, NotFound>> DeleteAsync(Guid id, VeekyDbContext db, CancellationToken ct)
    {
        // Its deliveries cascade: nothing is sent to an address after it was removed.
        var deleted = await db.Webhooks.Where(w => w.Id == id).ExecuteDeleteAsync(ct);
        return deleted == 0 ? TypedResults.NotFound() : TypedResults.NoContent();
    }

    public static async Task<Results<Ok<List<WebhookDeliverySummary>>, NotFound>> ListDeliveriesAsync(
        Guid id, VeekyDbContext db, CancellationToken ct)
    {
        if (!await db.Webhooks.AnyAsync(w => w.Id == id, ct))
        {
            return TypedResults.NotFound();
        }
        var deliveries = await db.WebhookDeliveries.AsNoTracking().Where(d => d.WebhookId == id)
            .OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Take(DeliveryListSize)
            .Select(d => new WebhookDeliverySummary(d.Id, d.Type, d.Status.ToString(), d.Attempts, d.LastError, d.CreatedAt, d.NextAttemptAt))
            .ToListAsync(ct);
        return TypedResults.Ok(deliveries);
    }
}
