using System.Globalization;
using System.Text.RegularExpressions;

namespace Veeky.Api.Search;

/// <summary>
/// The <c>from</c> and <c>to</c> of <c>GET /api/search</c>: ISO 8601 dates or date-times on the video's <c>createdAt</c>.
/// A plain date is a whole UTC day, so <c>from=2026-03-01&amp;to=2026-03-31</c> takes in all of March; a date-time is that
/// instant. Both bounds are inclusive.
/// </summary>
public static partial class SearchDateRange
{
    /// <summary>
    /// Parses both bounds; errors are per field, as the validation problem carries them. Bounds are kept to whole
    /// milliseconds, the precision both indexes compare at.
    /// </summary>
    public static (DateTimeOffset? From, DateTimeOffset? To) Parse(string? from, string? to, IDictionary<string, string[]> errors)
    {
        var start = ParseBound(from, endOfDay: false, "from", errors);
        var end = ParseBound(to, endOfDay: true, "to", errors);
        if (start is { } s && end is { } e && s > e)
        {
            errors["to"] = ["to must not be before from."];
        }
        return (start, end);
    }

    private static DateTimeOffset? ParseBound(string? value, bool endOfDay, string field, IDictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        value = value.Trim();
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return endOfDay ? start.AddDays(1).AddMilliseconds(-1) : start;
        }
        if (DateTimePattern().IsMatch(value)
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
        {
            return new DateTimeOffset(instant.UtcTicks - instant.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
        }
        errors[field] = [$"{field} is an ISO 8601 date (2026-03-31) or date-time (2026-03-31T14:00:00Z)."];
        return null;
    }

    /// <summary>The shape of an ISO 8601 date-time; the parser itself would also take "March 31" or "31/03/2026".</summary>
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:?\d{2})?$", RegexOptions.CultureInvariant)]
    private static partial Regex DateTimePattern();
}
