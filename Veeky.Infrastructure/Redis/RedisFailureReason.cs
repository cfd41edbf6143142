using StackExchange.Redis;

namespace Veeky.Redis;

/// <summary>Why Redis failed, in a few words for the log and <c>/health</c>: StackExchange.Redis's own messages run to a
/// screenful of counters, and the useful part (refused, wrong password) sits in an inner exception.</summary>
internal static class RedisFailureReason
{
    public static string Describe(Exception failure)
    {
        RedisConnectionException? connection = null;
        var cause = failure;
        for (var e = failure; e is not null; e = e.InnerException)
        {
            connection = e as RedisConnectionException ?? connection;
            cause = e;
        }
        if (connection is null)
        {
            return failure is RedisTimeoutException ? "no answer in time" : FirstSentence(failure.Message);
        }
        return ReferenceEquals(cause, connection)
            ? connection.FailureType.ToString()
            : $"{connection.FailureType}: {FirstSentence(cause.Message)}";
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message.TrimEnd('.') : message[..end];
    }
}
