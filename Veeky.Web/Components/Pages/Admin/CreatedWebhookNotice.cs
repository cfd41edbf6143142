using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Veeky.Contracts;

namespace Veeky.Web.Components.Pages.Admin;

/// <summary>
/// Carries a new webhook, secret included, across the redirect that answers the add form (post/redirect/get, so a
/// reload does not add the webhook again) without putting the secret in a URL or the history: a cookie encrypted with
/// the host's data protection keys, sent only to the webhooks page, valid for a minute and read once.
/// </summary>
public static class CreatedWebhookNotice
{
    private const string CookieName = "veeky-webhook-created";
    private const string PagePath = "/admin/webhooks";
    private const string Purpose = "Veeky.Web.CreatedWebhookNotice";

    /// <summary>Long enough for the redirect, short enough that a secret is not kept around.</summary>
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    public static void Keep(HttpContext context, IDataProtectionProvider dataProtection, CreatedWebhook created)
    {
        var sealedValue = Protector(dataProtection).Protect(JsonSerializer.Serialize(created), Lifetime);
        context.Response.Cookies.Append(CookieName, sealedValue, Options(context, Lifetime));
    }

    /// <summary>The webhook just added, once; null when there is none, or it is stale or was sealed with other keys.</summary>
    public static CreatedWebhook? Take(HttpContext context, IDataProtectionProvider dataProtection)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName, out var sealedValue))
        {
            return null;
        }
        context.Response.Cookies.Delete(CookieName, Options(context, maxAge: null));
        try
        {
            return JsonSerializer.Deserialize<CreatedWebhook>(Protector(dataProtection).Unprotect(sealedValue));
        }
        catch (Exception e) when (e is CryptographicException or JsonException)
        {
            return null;
        }
    }

    private static ITimeLimitedDataProtector Protector(IDataProtectionProvider dataProtection) =>
        dataProtection.CreateProtector(Purpose).ToTimeLimitedDataProtector();

    private static CookieOptions Options(HttpContext context, TimeSpan? maxAge) => new()
    {
        Path = PagePath,
        HttpOnly = true,
        Secure = context.Request.IsHttps,
        SameSite = SameSiteMode.Strict,
        MaxAge = maxAge,
        // Part of what the admin asked for, not tracking.
        IsEssential = true,
    };
}
