using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Distributed;

/// <summary>
/// The shared API cast (<see cref="ApiFixture"/>) on the distributed edition's parts: a PostgreSQL database of its own
/// and a real <c>redis-server</c>, so progress events and search caching cross Redis. <see cref="StartReplica"/>
/// adds a second API host on the same database, media folder and Redis, as another replica would be.
/// </summary>
public sealed class PostgresRedisApiFixture(PostgresServer postgres) : IAsyncLifetime
{
    private readonly RedisServer _redis = new();

    public ApiFixture Api { get; } = new();

    public string? UnavailableReason { get; private set; }

    /// <summary>Skips or fails the calling test when PostgreSQL or Redis is missing.</summary>
    public ApiFixture Require()
    {
        if (UnavailableReason is not null)
        {
            Requires.Unavailable(UnavailableReason);
        }
        return Api;
    }

    public async ValueTask InitializeAsync()
    {
        await _redis.InitializeAsync();
        UnavailableReason = postgres.UnavailableReason ?? _redis.UnavailableReason;
        if (UnavailableReason is not null)
        {
            return;
        }
        var database = await postgres.CreateDatabaseAsync();
        // The factory reads its settings when the host is first built, which ApiFixture's sign-in does next.
        Api.Factory.Settings["ConnectionStrings:veeky"] = database;
        Api.Factory.Settings["ConnectionStrings:redis"] = _redis.ConnectionString;
        await Api.InitializeAsync();
    }

    /// <summary>Another API host on the same database, media folder and Redis; the caller disposes it.</summary>
    public ApiFactory StartReplica() =>
        new(Api.Factory.DataDirectory, new Dictionary<string, string?>
        {
            ["ConnectionStrings:veeky"] = Api.Factory.Settings["ConnectionStrings:veeky"],
            ["ConnectionStrings:redis"] = _redis.ConnectionString,
        });

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        await _redis.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresRedisApiCollection : ICollectionFixture<PostgresRedisApiFixture>
{
    public const string Name = "Api on PostgreSQL and Redis";
}
