using Microsoft.AspNetCore.DataProtection;

namespace Veeky.Api.Webhooks;

/// <summary>Encrypts webhook secrets at rest with the API's data protection keys (the data folder's <c>keys</c>, shared by
/// every API host), so a copy of the database alone cannot sign events.</summary>
public sealed class WebhookSecrets(IDataProtectionProvider dataProtection)
{
    private readonly IDataProtector _protector = dataProtection.CreateProtector("Veeky.Webhooks.Secret");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);
}
