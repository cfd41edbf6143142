namespace Veeky.Redis;

/// <summary>Redis could not be reached, or the connection broke or timed out before the reply arrived. The command may
/// or may not have run.</summary>
public sealed class RedisConnectionException(string message, Exception? inner = null) : RedisException(message, inner);
