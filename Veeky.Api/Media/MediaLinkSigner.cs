using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Veeky.Api.Media;

/// <summary>
/// Signs media paths (<c>?exp=…&amp;sig=…</c>, HMAC-SHA256 over path and expiry) so a browser can load one file through
/// <c>&lt;img&gt;</c> or <c>&lt;video&gt;</c> without a bearer header. A link grants exactly the signed path until it expires.
/// </summary>
public sealed class MediaLinkSigner
{
    private const string KeyFileName = "media-links.key";

    private readonly byte[] _key;
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _clock;

    public MediaLinkSigner(IOptions<ApiOptions> apiOptions, IOptions<VeekyDataOptions> data, TimeProvider clock)
    {
        var links = apiOptions.Value.MediaLinks;
        _lifetime = links.Lifetime;
        _clock = clock;
        _key = string.IsNullOrEmpty(links.Key)
            ? LoadOrCreateKey(Path.Combine(data.Value.FullDataDirectory(), KeyFileName))
            : SHA256.HashData(Encoding.UTF8.GetBytes(links.Key));
    }

    /// <summary>The path with an expiry of one to one and a half lifetimes from now, and its signature. The expiry is
    /// rounded up to a half-lifetime step so the same file gets the same URL for that long: the browser's cache is
    /// keyed by URL, and a new <c>exp</c> on every page would download every image again.</summary>
    public string Sign(string path)
    {
        var step = Math.Max(1, (long)_lifetime.TotalSeconds / 2);
        var earliest = (_clock.GetUtcNow() + _lifetime).ToUnixTimeSeconds();
        var rounded = (earliest + step - 1) / step * step;
        return Sign(path, DateTimeOffset.FromUnixTimeSeconds(rounded));
    }

    public string Sign(string path, DateTimeOffset expiresAt)
    {
        var exp = expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"{path}?exp={exp}&sig={Signature(path, exp)}";
    }

    /// <summary>Whether the signature matches the path and the expiry has not passed.</summary>
    public bool IsValid(string path, string? exp, string? sig)
    {
        if (string.IsNullOrEmpty(exp) || string.IsNullOrEmpty(sig)
            || !long.TryParse(exp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || _clock.GetUtcNow().ToUnixTimeSeconds() >= seconds)
        {
            return false;
        }
        var expected = Encoding.ASCII.GetBytes(Signature(path, exp));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(sig));
    }

    /// <summary>A signature of <paramref name="value"/> under the same key, for other links that must not be forged
    /// (share links); <paramref name="purpose"/> keeps one kind's signature from passing for another's.</summary>
    public string SignValue(string purpose, string value) =>
        WebEncoders.Base64UrlEncode(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{purpose}\n{value}")));

    private string Signature(string path, string exp) =>
        WebEncoders.Base64UrlEncode(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{path}\n{exp}")));

    private static byte[] LoadOrCreateKey(string file)
    {
        if (File.Exists(file))
        {
            return File.ReadAllBytes(file);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var key = RandomNumberGenerator.GetBytes(32);
        try
        {
            using var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write);
            stream.Write(key);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            return key;
        }
        catch (IOException) when (File.Exists(file))
        {
            // Another process created it first: use theirs so links signed by either host stay valid.
            return File.ReadAllBytes(file);
        }
    }
}
