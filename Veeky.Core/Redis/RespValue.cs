namespace Veeky.Redis;

/// <summary>The kinds of RESP2 replies.</summary>
public enum RespKind { SimpleString, Error, Integer, BulkString, Array, Null }

/// <summary>One RESP2 reply. Bulk strings are decoded as UTF-8: Veeky stores only text (JSON, ids, counters).</summary>
public sealed record RespValue(RespKind Kind, string? Text = null, long Integer = 0, IReadOnlyList<RespValue>? Items = null)
{
    public static RespValue Null { get; } = new(RespKind.Null);

    public bool IsError => Kind == RespKind.Error;

    /// <summary>Whether this is a pub/sub push (<c>message</c>, <c>subscribe</c>, <c>unsubscribe</c>) rather than a reply.</summary>
    public bool IsPush(out string kind)
    {
        kind = Kind == RespKind.Array && Items is [{ Kind: RespKind.BulkString, Text: { } first }, ..] ? first : "";
        return kind is "message" or "subscribe" or "unsubscribe";
    }
}
