namespace Veeky.Redis;

/// <summary>An error reply from Redis (<c>-ERR …</c>, <c>-NOAUTH …</c>, <c>-WRONGTYPE …</c>); the message is Redis's own.</summary>
public class RedisException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Redis could not be reached, or the connection broke before the reply arrived. The command may or may not
/// have run.</summary>
public sealed class RedisConnectionException(string message, Exception? inner = null) : RedisException(message, inner);
