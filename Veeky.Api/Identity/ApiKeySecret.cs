using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Veeky.Api.Identity;

/// <summary>How API keys look and how they are stored: <c>vk_</c> and 256 random bits in base64url, kept as SHA-256.</summary>
public static class ApiKeySecret
{
    /// <summary>Marks a Veeky API key, so secret scanners (and the authentication selector) recognise one.</summary>
    public const string Prefix = "vk_";

    private const int RandomBytes = 32;

    /// <summary>Characters of a key kept in clear to tell keys apart in a list: the prefix and four random ones.</summary>
    private const int ShownLength = 7;

    /// <summary>A new key, its hash to store and the few characters to show.</summary>
    public static (string Key, string Hash, string Shown) Create()
    {
        var key = Prefix + WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(RandomBytes));
        return (key, Hash(key), key[..ShownLength]);
    }

    /// <summary>
    /// SHA-256 of the key. A password needs a slow, salted hash because people choose guessable ones; this key is 256
    /// random bits, so nobody can guess it or precompute a table for it, and one fast unsalted hash is enough. Being
    /// unsalted also lets the key be found by its hash with one indexed lookup per request.
    /// </summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The key of an <c>Authorization: Bearer vk_…</c> header, or null when the header holds no API key.</summary>
    public static string? FromAuthorization(string authorization)
    {
        const string bearer = "Bearer ";
        if (!authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var token = authorization[bearer.Length..].Trim();
        return token.StartsWith(Prefix, StringComparison.Ordinal) ? token : null;
    }
}
