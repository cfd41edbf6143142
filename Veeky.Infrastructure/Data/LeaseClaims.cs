using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Veeky.Data;

/// <summary>
/// The claim of a table worked through under leases (indexing jobs, the webhook outbox), written once for both
/// providers: one atomic UPDATE takes the first due row, sets its lease, counts the attempt and returns the row.
/// PostgreSQL picks the row with <c>FOR UPDATE SKIP LOCKED</c>, so concurrent claimers never wait on or share a row;
/// SQLite serialises writers, so the same UPDATE is atomic there. Every leased table has the columns <c>Id</c>,
/// <c>LeaseOwner</c>, <c>LeaseExpiresAt</c>, <c>Attempts</c> and <c>UpdatedAt</c>.
/// </summary>
public static partial class LeaseClaims
{
    private static readonly DateTimeOffsetToBinaryConverter SqliteTime = new();

    /// <summary>The first row of <typeparamref name="T"/>'s table that <paramref name="claim"/> finds due at
    /// <paramref name="now"/>, leased to <paramref name="owner"/> until <paramref name="leaseEnd"/>; null when none is.</summary>
    public static async Task<T?> ClaimAsync<T>(this VeekyDbContext db, LeaseClaim claim, string owner, DateTimeOffset now,
        DateTimeOffset leaseEnd, CancellationToken ct) where T : class
    {
        var table = db.Model.FindEntityType(typeof(T))?.GetTableName()
            ?? throw new InvalidOperationException($"{typeof(T).Name} is not a table of the metadata database.");
        // The claim's values and the table's own become parameters; the SQL names them, EF numbers them.
        var values = new List<object> { owner, Stored(db, leaseEnd), Stored(db, now) };
        var positions = new Dictionary<string, int>(StringComparer.Ordinal) { ["now"] = 2 };
        foreach (var (name, value) in claim.Values)
        {
            positions.Add(name, values.Count);
            values.Add(Stored(db, value));
        }
        string Numbered(string sql) => NamedValue().Replace(sql, m => positions.TryGetValue(m.Groups[1].Value, out var at)
            ? $"{{{at}}}"
            : throw new InvalidOperationException($"The lease claim on \"{table}\" names @{m.Groups[1].Value}, which it does not give."));

        var alsoSet = claim.AlsoSet is null ? "" : $", {Numbered(claim.AlsoSet)}";
        var skipLocked = db.Database.IsNpgsql() ? "FOR UPDATE SKIP LOCKED" : "";
        var sql = $$"""
            UPDATE "{{table}}" SET "LeaseOwner" = {0}, "LeaseExpiresAt" = {1}, "Attempts" = "Attempts" + 1, "UpdatedAt" = {2}{{alsoSet}}
            WHERE "Id" = (
                SELECT "Id" FROM "{{table}}"
                WHERE {{Numbered(claim.Due)}}
                ORDER BY {{claim.OrderBy}}
                LIMIT 1
                {{skipLocked}})
            RETURNING *
            """;
        var claimed = await db.Set<T>().FromSqlRaw(sql, [.. values]).AsNoTracking().ToListAsync(ct);
        return claimed.FirstOrDefault();
    }

    /// <summary>Times as the provider stores them: SQLite holds UTC ticks (see <see cref="VeekyDbContext"/>).</summary>
    private static object Stored(VeekyDbContext db, object value) =>
        value is DateTimeOffset time && db.Database.IsSqlite() ? SqliteTime.ConvertToProvider(time)! : value;

    [GeneratedRegex(@"@(\w+)")]
    private static partial Regex NamedValue();
}

/// <summary>
/// Which rows of a leased table a claim takes and in what order. <see cref="Due"/> and <see cref="AlsoSet"/> are SQL
/// that name values as <c>@name</c>: <c>@now</c>, the claim's time, and the keys of <see cref="Values"/> (status names
/// and the like), all sent as parameters. <see cref="AlsoSet"/> is what a claim writes besides the lease (a status).
/// The SQL is the caller's constant text, never user input.
/// </summary>
public sealed record LeaseClaim(string Due, string OrderBy, IReadOnlyDictionary<string, object> Values, string? AlsoSet = null);
