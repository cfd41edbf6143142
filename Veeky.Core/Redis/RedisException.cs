namespace Veeky.Redis;

/// <summary>An error reply from Redis (<c>-ERR …</c>, <c>-NOAUTH …</c>, <c>-WRONGTYPE …</c>); the message is Redis's own.</summary>
public class RedisException(string message, Exception? inner = null) : Exception(message, inner);
