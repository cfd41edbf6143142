using System.Security.Cryptography;
using System.Text;

namespace Veeky.Webhooks;

/// <summary>
/// The <c>Veeky-Signature</c> header: <c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "t.body"&gt;</c> keyed with the
/// webhook's secret. The time is signed with the body so a receiver can refuse an old request replayed later.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "Veeky-Signature";

    public static string Create(string secret, long unixSeconds, string body)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{unixSeconds}.{body}"));
        return $"t={unixSeconds},v1={Convert.ToHexStringLower(mac)}";
    }

    /// <summary>A new secret: 32 random bytes as hex, as strong as the HMAC key can use.</summary>
    public static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
