using System.Data.Common;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Veeky.Data;

/// <summary>
/// Applies the versioned SQL scripts of the current provider (<c>Data/Migrations/{Sqlite|Postgres}/NNNN_name.sql</c>)
/// that the database has not seen yet, each in its own transaction, and records them in <c>__veeky_schema</c>.
/// Scripts are written by hand because <c>dotnet ef migrations</c> (EF Core Design) cannot be restored here.
/// </summary>
public sealed class SchemaMigrator(DatabaseProvider provider, IDbContextFactory<VeekyDbContext> contexts, ILogger<SchemaMigrator> logger)
{
    private const long PostgresLockKey = 0x7665656B79; // "veeky": one migrator at a time across replicas.

    /// <summary>The scripts of the current provider, ordered by version.</summary>
    public IReadOnlyList<MigrationScript> Scripts { get; } = LoadScripts(provider.Kind);

    public async Task MigrateAsync(CancellationToken ct = default) => await MigrateAsync(int.MaxValue, ct);

    /// <summary>Applies scripts up to and including <paramref name="targetVersion"/> (tests use it to build an older schema).</summary>
    public async Task MigrateAsync(int targetVersion, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(ct);

        if (provider.Kind == DatabaseKind.Postgres)
        {
            await ExecuteAsync(connection, $"SELECT pg_advisory_lock({PostgresLockKey})", ct);
        }
        else
        {
            // WAL lets readers continue while the indexer writes; the setting is stored in the database file.
            await ExecuteAsync(connection, "PRAGMA journal_mode=WAL", ct);
        }

        try
        {
            await ExecuteAsync(connection,
                "CREATE TABLE IF NOT EXISTS __veeky_schema (version INTEGER PRIMARY KEY, name VARCHAR(200) NOT NULL, applied_at VARCHAR(40) NOT NULL)", ct);
            var applied = new HashSet<int>();
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT version FROM __veeky_schema";
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    applied.Add(Convert.ToInt32(reader.GetValue(0)));
                }
            }

            foreach (var script in Scripts.Where(s => s.Version <= targetVersion && !applied.Contains(s.Version)))
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await using (var command = connection.CreateCommand())
                {
                    command.Transaction = transaction;
                    command.CommandText = script.Sql;
                    await command.ExecuteNonQueryAsync(ct);
                }
                await using (var record = connection.CreateCommand())
                {
                    record.Transaction = transaction;
                    record.CommandText = "INSERT INTO __veeky_schema (version, name, applied_at) VALUES (@v, @n, @t)";
                    AddParameter(record, "@v", script.Version);
                    AddParameter(record, "@n", script.Name);
                    AddParameter(record, "@t", DateTimeOffset.UtcNow.ToString("O"));
                    await record.ExecuteNonQueryAsync(ct);
                }
                await transaction.CommitAsync(ct);
                logger.LogInformation("Applied schema migration {Version} {Name} ({Provider})", script.Version, script.Name, provider.Kind);
            }
        }
        finally
        {
            if (provider.Kind == DatabaseKind.Postgres)
            {
                await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({PostgresLockKey})", CancellationToken.None);
            }
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static List<MigrationScript> LoadScripts(DatabaseKind kind)
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        var prefix = $"Veeky.Data.Migrations.{kind}.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => Load(assembly, n, n[prefix.Length..^".sql".Length]))
            .OrderBy(s => s.Version)
            .ToList();
    }

    private static MigrationScript Load(Assembly assembly, string resource, string fileName)
    {
        // Resource names turn "0001_initial" into "_0001_initial" because identifiers cannot start with a digit.
        var name = fileName.TrimStart('_');
        var version = int.Parse(name[..name.IndexOf('_')]);
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return new MigrationScript(version, name, reader.ReadToEnd());
    }
}

/// <summary>One versioned schema script.</summary>
public sealed record MigrationScript(int Version, string Name, string Sql);
