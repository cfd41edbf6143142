using Microsoft.Extensions.Logging;
using Npgsql;

namespace Veeky.Data;

/// <summary>
/// Creates the configured PostgreSQL database when the server has none of that name, as EF Core migrations and
/// Aspire's <c>AddDatabase</c> do: a fresh server is a normal first start, not an error. A role without the
/// privilege gets one sentence naming the database, the server and what is missing.
/// </summary>
public sealed class PostgresDatabaseCreator(ILogger<PostgresDatabaseCreator> logger)
{
    /// <summary>Databases every server has, tried in order to issue <c>CREATE DATABASE</c> from (as Npgsql's EF
    /// provider does): <c>template1</c> when an administrator dropped <c>postgres</c>.</summary>
    private static readonly string[] MaintenanceDatabases = ["postgres", "template1"];

    /// <summary>Makes sure the database of <paramref name="connectionString"/> exists. Throws
    /// <see cref="StorageMisconfiguredException"/> when it cannot be created or signed in to; unreachable-server errors
    /// pass through for the caller to retry.</summary>
    public async Task EnsureExistsAsync(string connectionString, CancellationToken ct)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(ct);
            return;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            // Created below.
        }
        catch (PostgresException ex) when (IsRefusedSignIn(ex))
        {
            throw RefusedSignIn(settings, ex);
        }

        await CreateAsync(settings, ct);
        logger.LogInformation("Created the PostgreSQL database \"{Database}\" on {Server}", settings.Database, DatabaseOutage.Server(settings));
    }

    private static async Task CreateAsync(NpgsqlConnectionStringBuilder settings, CancellationToken ct)
    {
        PostgresException? lastRefusal = null;
        foreach (var maintenance in MaintenanceDatabases)
        {
            var admin = new NpgsqlConnectionStringBuilder(settings.ConnectionString) { Database = maintenance, Pooling = false };
            try
            {
                await using var connection = new NpgsqlConnection(admin.ConnectionString);
                await connection.OpenAsync(ct);
                try
                {
                    await ExecuteAsync(connection, $"CREATE DATABASE {QuoteIdentifier(settings.Database!)}", ct);
                }
                catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
                {
                    // The role as the server knows it: the connection string may leave the user name to the environment.
                    var role = await ExecuteAsync(connection, "SELECT current_user", ct);
                    throw new StorageMisconfiguredException(
                        $"The PostgreSQL database \"{settings.Database}\" does not exist on {DatabaseOutage.Server(settings)} and the role " +
                        $"\"{role}\" lacks the CREATEDB privilege to create it: create the database, grant the role CREATEDB, " +
                        "or point ConnectionStrings:veeky at an existing database.");
                }
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateDatabase)
            {
                // Another replica created it a moment earlier.
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidCatalogName || IsRefusedSignIn(ex))
            {
                lastRefusal = ex;
            }
        }
        throw new StorageMisconfiguredException(
            $"The PostgreSQL database \"{settings.Database}\" does not exist on {DatabaseOutage.Server(settings)} and Veeky could " +
            $"not connect to the \"postgres\" or \"template1\" database to create it ({DatabaseOutage.Reason(lastRefusal!)}): " +
            "create the database or point ConnectionStrings:veeky at an existing one.");
    }

    private static async Task<object?> ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(ct);
    }

    private static bool IsRefusedSignIn(PostgresException ex) =>
        ex.SqlState is PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification
            or PostgresErrorCodes.InsufficientPrivilege;

    private static StorageMisconfiguredException RefusedSignIn(NpgsqlConnectionStringBuilder settings, PostgresException ex) =>
        new($"PostgreSQL on {DatabaseOutage.Server(settings)} refused the role \"{settings.Username}\" for database " +
            $"\"{settings.Database}\" ({DatabaseOutage.Reason(ex)}): check the user name and password in ConnectionStrings:veeky.");

    private static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
