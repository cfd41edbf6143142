using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Veeky.Data;
using Veeky.Identity;
using Veeky.Indexer;
using Veeky.Indexer.Pipeline;
using Veeky.Indexer.Worker;
using Veeky.Jobs;
using Veeky.Media;
using Veeky.Tests.Infrastructure;
using Veeky.Videos;

namespace Veeky.Tests.Pipeline;

/// <summary>
/// A real host with Veeky's core and indexer on a SQLite database in a temp folder, as the Indexer and the all-in-one
/// host wire them (PostgreSQL and Redis under the storage switch, <see cref="TestStorage"/>). The worker runs only after <see cref="StartAsync"/>; tests that drive jobs step by step leave it
/// stopped and call <see cref="Worker"/> directly.
/// </summary>
public sealed class IndexerHost : IAsyncDisposable
{
    private readonly TempFolder _folder = new("veeky-pipeline");
    private readonly TestStorage? _storage;
    private bool _started;

    private IndexerHost(StageRecorder recorder, TimeProvider? clock, IReadOnlyDictionary<string, string?>? settings,
        Action<IServiceCollection>? services)
    {
        Recorder = recorder;
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Veeky:DataDirectory"] = _folder.Path,
            ["Veeky:Indexer:PollInterval"] = "00:00:00.200",
        });
        var overrides = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
        _storage = TestStorage.Apply(_folder.Path, overrides);
        builder.Configuration.AddInMemoryCollection(overrides);
        // The clock AddServiceDefaults gives a real host, or the test's.
        builder.Services.AddSingleton(clock ?? TimeProvider.System);
        builder.AddVeekyCore();
        builder.AddVeekyIndexer();
        foreach (var descriptor in builder.Services.Where(d => d.ServiceType == typeof(IPipelineStage)).ToList())
        {
            builder.Services.Remove(descriptor);
            builder.Services.AddSingleton(sp =>
                recorder.Wrap((IPipelineStage)ActivatorUtilities.CreateInstance(sp, descriptor.ImplementationType!)));
        }
        services?.Invoke(builder.Services);
        Host = builder.Build();
    }

    public IHost Host { get; }
    public StageRecorder Recorder { get; }
    public IServiceProvider Services => Host.Services;
    public IJobQueue Queue => Services.GetRequiredService<IJobQueue>();
    public IndexerWorker Worker => Services.GetRequiredService<IndexerWorker>();
    public IMediaStore Media => Services.GetRequiredService<IMediaStore>();

    /// <param name="settings">Extra configuration over the defaults, e.g. <c>ConnectionStrings:veeky</c> for a shared
    /// PostgreSQL queue or <c>Veeky:DataDirectory</c> for a media folder shared with other hosts.</param>
    /// <param name="services">Last word on the services, e.g. to wrap the job queue.</param>
    public static async Task<IndexerHost> CreateAsync(TimeProvider? clock = null,
        IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var host = new IndexerHost(new StageRecorder(), clock, settings, services);
        await host.Services.GetRequiredService<SchemaMigrator>().MigrateAsync();
        return host;
    }

    /// <summary>Starts the hosted services, the indexer worker among them.</summary>
    public async Task StartAsync()
    {
        await Host.StartAsync();
        _started = true;
    }

    /// <summary>Stops the hosted services as a shutdown does.</summary>
    public async Task StopAsync()
    {
        await Host.StopAsync();
        _started = false;
    }

    public VeekyDbContext OpenDb() => Services.GetRequiredService<StageDatabase>().Open();

    /// <summary>Stores a copy of <paramref name="sourcePath"/> as a new video (with its category and uploader) and queues
    /// its indexing job in the same transaction, as an upload does.</summary>
    public async Task<Guid> AddVideoAsync(string sourcePath, string title = "Sample")
    {
        var now = DateTimeOffset.UtcNow;
        var videoId = Guid.CreateVersion7();
        var relative = Media.OriginalPath(videoId, ".mp4");
        await using (var source = File.OpenRead(sourcePath))
        {
            await Media.SaveAsync(relative, source, long.MaxValue);
        }
        await using var db = OpenDb();
        var category = new Category { Id = Guid.NewGuid(), Name = $"Category {Guid.NewGuid():N}", CreatedAt = now };
        var user = new VeekyUser { Id = Guid.NewGuid(), UserName = $"{Guid.NewGuid():N}@test", Role = Roles.Editor, CreatedAt = now };
        db.Categories.Add(category);
        db.Users.Add(user);
        db.Videos.Add(new Video
        {
            Id = videoId,
            Title = title,
            CategoryId = category.Id,
            UploaderId = user.Id,
            StoragePath = relative,
            Sha256 = new string('0', 64),
            SizeBytes = new FileInfo(sourcePath).Length,
            CreatedAt = now,
            UpdatedAt = now,
        });
        await Queue.EnqueueAsync(db, videoId);
        await db.SaveChangesAsync();
        Services.GetRequiredService<JobSignal>().Notify();
        return videoId;
    }

    public async Task<Video?> LoadVideoAsync(Guid videoId)
    {
        await using var db = OpenDb();
        return await db.Videos.AsNoTracking().Include(v => v.Segments.OrderBy(s => s.Index)).FirstOrDefaultAsync(v => v.Id == videoId);
    }

    public async Task<IndexingJob?> LoadJobAsync(Guid videoId)
    {
        await using var db = OpenDb();
        return await db.Jobs.AsNoTracking().Where(j => j.VideoId == videoId).OrderByDescending(j => j.CreatedAt).FirstOrDefaultAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            await Host.StopAsync();
        }
        Host.Dispose();
        if (_storage is not null)
        {
            await _storage.DisposeAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
