using System.Security.Cryptography;
using System.Text;
using Veeky.Api.Media;

namespace Veeky.Api.Shares;

/// <summary>The token in a share link: the share's id and a signature of it (<c>{id:N}.{signature}</c>), so a link
/// changed by hand is refused before the database is asked, and a leaked id alone opens nothing.</summary>
public sealed class ShareTokens(MediaLinkSigner signer)
{
    private const string Purpose = "share";

    /// <summary>22 base64url characters: 132 bits of HMAC, plenty against guessing and short enough for a chat message.</summary>
    private const int SignatureLength = 22;

    public string Create(Guid shareId) => $"{shareId:N}.{Signature(shareId)}";

    /// <summary>The share id of a well-formed, correctly signed token; null for anything else.</summary>
    public Guid? Read(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length != 32 + 1 + SignatureLength || token[32] != '.'
            || !Guid.TryParseExact(token.AsSpan(0, 32), "N", out var id))
        {
            return null;
        }
        var expected = Encoding.ASCII.GetBytes(Signature(id));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(token[33..])) ? id : null;
    }

    /// <summary>The web page a token opens.</summary>
    public static string PagePath(string token) => $"/share/{token}";

    private string Signature(Guid id) => signer.SignValue(Purpose, id.ToString("N"))[..SignatureLength];
}
