using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Veeky.Jobs;

namespace Veeky.Data;

/// <summary>Registers the metadata database: PostgreSQL when <c>ConnectionStrings:veeky</c> is a Npgsql string,
/// otherwise the SQLite file <c>{DataDirectory}/veeky.db</c>.</summary>
public static class DataServiceCollectionExtensions
{
    /// <summary>The connection string name the distributed edition's AppHost hands over (its database resource).</summary>
    public const string ConnectionName = "veeky";

    public static IHostApplicationBuilder AddVeekyData(this IHostApplicationBuilder builder)
    {
        var configured = builder.Configuration.GetConnectionString(ConnectionName);
        builder.AddVeekyDataFolder();
        // The SQLite file's folder comes from the validated data folder options, so the provider is made on first use.
        builder.Services.AddSingleton(sp => DatabaseProvider.Create(configured, sp.GetRequiredService<IOptions<VeekyDataOptions>>().Value));
        if (DatabaseProvider.IsNpgsql(configured))
        {
            // Aspire's client integration: a pooled context, a health check, Npgsql's traces and metrics. Its retrying
            // execution strategy is off: the job queue and the stages open their own transactions, which a retrying
            // strategy refuses, and start-up already waits for an unreachable server.
            builder.AddNpgsqlDbContext<VeekyDbContext>(ConnectionName, settings => settings.DisableRetry = true,
                options => DatabaseProvider.LeaveFailuresToCallers(options));
            // Units of work outside a request (the queue, the stages, background services) come from a pooled factory
            // over the same options, with Aspire's traces and metrics.
            builder.Services.AddSingleton<IDbContextFactory<VeekyDbContext>>(
                sp => new PooledDbContextFactory<VeekyDbContext>(sp.GetRequiredService<DbContextOptions<VeekyDbContext>>()));
        }
        else
        {
            // The factory for units of work outside a request; it registers the scoped context for requests too.
            builder.Services.AddDbContextFactory<VeekyDbContext>((sp, options) => sp.GetRequiredService<DatabaseProvider>().Configure(options));
        }
        builder.Services.AddSingleton<SchemaMigrator>();
        builder.Services.AddSingleton<IJobQueue, SqlJobQueue>();
        return builder;
    }
}

/// <summary>The database chosen once at start-up, with what differs between SQLite and PostgreSQL.</summary>
public sealed record DatabaseProvider(DatabaseKind Kind, string ConnectionString)
{
    /// <summary>PostgreSQL or SQLite as <c>ConnectionStrings:veeky</c> says; without it the SQLite file
    /// <c>veeky.db</c> in the data folder.</summary>
    public static DatabaseProvider Create(string? configured, VeekyDataOptions data)
    {
        if (IsNpgsql(configured))
        {
            return new DatabaseProvider(DatabaseKind.Postgres, configured!);
        }
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new DatabaseProvider(DatabaseKind.Sqlite, configured);
        }
        Directory.CreateDirectory(data.FullDataDirectory());
        return new DatabaseProvider(DatabaseKind.Sqlite, $"Data Source={Path.Combine(data.FullDataDirectory(), "veeky.db")}");
    }

    /// <summary>
    /// EF Core logs a failed connection, command, query or save at Error with its stack trace and then throws the same
    /// exception to the caller, which handles it: a database outage is one line from the worker ("indexing pauses"), a
    /// request's error is logged once by the exception handler. At Debug the failure is not printed twice, nor on every
    /// poll while the server is down.
    /// </summary>
    public static DbContextOptionsBuilder LeaveFailuresToCallers(DbContextOptionsBuilder options) =>
        options.ConfigureWarnings(warnings => warnings.Log(
            (RelationalEventId.ConnectionError, LogLevel.Debug),
            (RelationalEventId.CommandError, LogLevel.Debug),
            (RelationalEventId.TransactionError, LogLevel.Debug),
            (CoreEventId.QueryIterationFailed, LogLevel.Debug),
            (CoreEventId.SaveChangesFailed, LogLevel.Debug)));

    internal static bool IsNpgsql(string? connectionString) =>
        !string.IsNullOrWhiteSpace(connectionString)
        && (connectionString.Contains("Host=", StringComparison.OrdinalIgnoreCase)
            || connectionString.StartsWith("postgres", StringComparison.OrdinalIgnoreCase));

    public void Configure(DbContextOptionsBuilder options)
    {
        LeaveFailuresToCallers(options);
        if (Kind == DatabaseKind.Postgres)
        {
            options.UseNpgsql(ConnectionString);
        }
        else
        {
            options.UseSqlite(ConnectionString);
        }
    }

    /// <summary>Contexts for tools and tests that run without a host; a host gets its factory from
    /// <see cref="DataServiceCollectionExtensions.AddVeekyData"/>.</summary>
    public IDbContextFactory<VeekyDbContext> CreateContextFactory() => new PooledDbContextFactory<VeekyDbContext>(CreateOptions());

    public DbContextOptions<VeekyDbContext> CreateOptions()
    {
        var builder = new DbContextOptionsBuilder<VeekyDbContext>();
        Configure(builder);
        return builder.Options;
    }
}

public enum DatabaseKind { Sqlite, Postgres }
