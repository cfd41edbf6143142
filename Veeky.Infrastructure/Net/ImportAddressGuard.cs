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
    public static bool IsFetchableScheme(Uri uri) => PublicAddressRule.SchemeRefusal(uri) is null;

    /// <summary>True when <paramref name="address"/> belongs to this host or a private network rather than the internet;
    /// the ranges are the webhooks' (<see cref="PublicAddressRule"/>), so both features refuse the same addresses.</summary>
    public static bool IsPrivate(IPAddress address) => !PublicAddressRule.IsPublic(address);

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
