using System.Net;
using System.Net.Sockets;

namespace Veeky.Net;

/// <summary>
/// Which addresses Veeky may call on a user's say-so (webhooks, import by URL): only public ones, so a URL cannot make
/// the server reach its own loopback, the cloud metadata service (link-local) or the private network behind it. Checked
/// when a URL is accepted and again on every connection (<see cref="ConnectAsync"/>), because a name may resolve to a
/// public address at the check and a private one a moment later (DNS rebinding). Depends on the base library only.
/// </summary>
public static class PublicAddressRule
{
    /// <summary>True for a globally routable unicast address; false for loopback, link-local, private, shared (CGNAT),
    /// unspecified, multicast, documentation, benchmarking and reserved ranges, also inside IPv4-mapped, NAT64 and 6to4
    /// IPv6 addresses.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (address.IsIPv4MappedToIPv6)
            {
                return IsPublic(address.MapToIPv4());
            }
            var b = address.GetAddressBytes();
            if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.IPv6None) || address.IsIPv6LinkLocal
                || address.IsIPv6SiteLocal || address.IsIPv6Multicast || (b[0] & 0xfe) == 0xfc)
            {
                return false;
            }
            // 64:ff9b::/96 (NAT64) and 2002::/16 (6to4) carry an IPv4 address that is what is reached in the end.
            if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0)
            {
                return IsPublic(new IPAddress(b.AsSpan(12, 4)));
            }
            if (b[0] == 0x20 && b[1] == 0x02)
            {
                return IsPublic(new IPAddress(b.AsSpan(2, 4)));
            }
            // 2001:db8::/32 is for documentation; ::/8 holds the unspecified and IPv4-compatible addresses.
            return !(b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) && b[0] != 0x00;
        }
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            return false;
        }
        var v4 = address.GetAddressBytes();
        return v4[0] switch
        {
            0 or 10 or 127 => false,
            100 => v4[1] is < 64 or > 127,                  // 100.64.0.0/10 shared address space
            169 => v4[1] != 254,                            // link-local, cloud metadata
            172 => v4[1] is < 16 or > 31,
            192 => !(v4[1] == 168 || (v4[1] == 0 && v4[2] is 0 or 2) || (v4[1] == 88 && v4[2] == 99)),
            198 => v4[1] is not (18 or 19) && !(v4[1] == 51 && v4[2] == 100),
            203 => !(v4[1] == 0 && v4[2] == 113),
            >= 224 => false,                                // multicast, reserved, broadcast
            _ => true,
        };
    }

    /// <summary>Null when <paramref name="url"/> is an absolute http(s) URL whose host resolves only to public addresses;
    /// otherwise a sentence saying why it is refused.</summary>
    public static async Task<string?> RefusalAsync(Uri url, CancellationToken ct = default)
    {
        if (SchemeRefusal(url) is { } refused)
        {
            return refused;
        }
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(url.IdnHost, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(url.IdnHost, ct);
        }
        catch (SocketException)
        {
            return $"The host {url.Host} could not be resolved.";
        }
        if (addresses.Length == 0)
        {
            return $"The host {url.Host} could not be resolved.";
        }
        var blocked = addresses.FirstOrDefault(a => !IsPublic(a));
        return blocked is null
            ? null
            : $"The host {url.Host} resolves to {blocked}, a loopback, link-local or private address, which is not allowed.";
    }

    /// <summary>Null for an absolute http or https URL; otherwise the sentence saying so.</summary>
    public static string? SchemeRefusal(Uri url) =>
        url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? null
            : "The URL must be an absolute http or https address.";

    /// <summary>
    /// A <see cref="SocketsHttpHandler.ConnectCallback"/> that connects only to public addresses: it resolves the name
    /// itself and connects to the address it checked, so nothing can change between check and connection.
    /// </summary>
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        var blocked = addresses.FirstOrDefault(a => !IsPublic(a));
        if (blocked is not null || addresses.Length == 0)
        {
            throw new HttpRequestException(blocked is null
                ? $"The host {host} could not be resolved."
                : $"The host {host} resolves to {blocked}, a loopback, link-local or private address, which is not allowed.");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
