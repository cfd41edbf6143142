using System.Net;
using System.Net.Http;
using System.Net.Sockets;

namespace Veeky.Net;

/// <summary>
/// Keeps server-side fetches of user-given links (import by URL) off the server's own network: http(s) only, and no
/// loopback, link-local, private, carrier-grade NAT or unspecified address unless private networks are allowed. The
/// request-time check gives the sender a clear 400; the connect-time check (<see cref="ConnectCallback"/>) is the one
/// that counts, because DNS may answer differently a moment later (rebinding) and a redirect may point anywhere.
/// </summary>
public static class ImportAddressGuard
{
    /// <summary>True for http and https links; nothing else is fetched (file:, ftp: and friends reach places a link must not).</summary>
    public static bool IsFetchableScheme(Uri uri) =>
        uri.IsAbsoluteUri && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    /// <summary>True when <paramref name="address"/> belongs to this host or a private network rather than the internet.</summary>
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)
            || address.Equals(IPAddress.IPv6None))
        {
            return true;
        }
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] == 0                                   // 0.0.0.0/8 "this network"
                || b[0] == 10                                  // 10.0.0.0/8
                || b[0] == 100 && b[1] is >= 64 and <= 127     // 100.64.0.0/10 carrier-grade NAT
                || b[0] == 169 && b[1] == 254                  // 169.254.0.0/16 link-local (cloud metadata lives here)
                || b[0] == 172 && b[1] is >= 16 and <= 31      // 172.16.0.0/12
                || b[0] == 192 && b[1] == 168                  // 192.168.0.0/16
                || b[0] >= 224;                                // multicast and reserved
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                || (b[0] & 0xFE) == 0xFC;                      // fc00::/7 unique local
        }
        return true; // an address family we do not know is not the internet we mean
    }

    /// <summary>The addresses <paramref name="host"/> resolves to, and whether any of them is private (an IP literal is
    /// not looked up). A name that does not resolve gives no addresses.</summary>
    public static async Task<bool> ResolvesToPrivateAsync(string host, CancellationToken ct)
    {
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, ct);
        return addresses.Any(IsPrivate);
    }

    /// <summary>A <see cref="SocketsHttpHandler.ConnectCallback"/> that resolves the host itself and connects only to
    /// public addresses (any address when <paramref name="allowPrivateNetworks"/>), so every connection — the first one,
    /// each redirect and each re-resolution — is checked on the address actually dialled.</summary>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> ConnectCallback(bool allowPrivateNetworks) =>
        async (context, ct) =>
        {
            var host = context.DnsEndPoint.Host;
            var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
                ? [literal]
                : await Dns.GetHostAddressesAsync(host, ct);
            var allowed = allowPrivateNetworks ? addresses : addresses.Where(a => !IsPrivate(a)).ToArray();
            if (allowed.Length == 0)
            {
                throw new PrivateAddressRefusedException(host);
            }
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };
}

/// <summary>A link pointed at this host or a private network, which imports may not reach.</summary>
public sealed class PrivateAddressRefusedException(string host)
    : Exception($"The link's host {host} is on a private network, which imports may not reach (Veeky:Import:AllowPrivateNetworks).")
{
    public string Host { get; } = host;
}
