using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Veeky.Configs;
using Veeky.Identity;
using Veeky.Import;
using Veeky.Jobs;
using Veeky.Videos;
using Veeky.Webhooks;

namespace Veeky.Data;

/// <summary>Veeky's metadata database: users and their sign-in sessions, categories, videos, segments and indexing jobs.</summary>
public sealed class VeekyDbContext(DbContextOptions<VeekyDbContext> options) : IdentityUserContext<VeekyUser, Guid>(options), IJobStore
{
    public DbSet<Category> Categories => Set<Category>();
    public DbSet<UserCategory> UserCategories => Set<UserCategory>();
    public DbSet<Video> Videos => Set<Video>();
    public DbSet<Segment> Segments => Set<Segment>();
    public DbSet<VideoShare> VideoShares => Set<VideoShare>();
    public DbSet<IndexingJob> Jobs => Set<IndexingJob>();

    Task<List<IndexingJob>> IJobStore.UnfinishedJobsAsync(Guid videoId, CancellationToken ct) =>
        Jobs.Where(j => j.VideoId == videoId && (j.Status == JobStatus.Queued || j.Status == JobStatus.Running)).ToListAsync(ct);

    void IJobStore.AddJob(IndexingJob job) => Jobs.Add(job);
    public DbSet<Config> Configs => Set<Config>();
    public DbSet<Prompt> Prompts => Set<Prompt>();
    public DbSet<LlmSetting> LlmSettings => Set<LlmSetting>();
    public DbSet<SignInSession> SignInSessions => Set<SignInSession>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<ImporterLease> ImporterLeases => Set<ImporterLease>();
    public DbSet<Webhook> Webhooks => Set<Webhook>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot compare or order DateTimeOffset values in SQL; as UTC ticks they sort correctly.
        if (Database.IsSqlite())
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
            configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<VeekyUser>(user =>
        {
            user.Property(u => u.Role).HasMaxLength(16);
            user.HasMany(u => u.Categories).WithOne().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<SignInSession>(session =>
        {
            session.Property(s => s.RevokedReason).HasMaxLength(32);
            session.HasOne<VeekyUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
            session.HasIndex(s => new { s.UserId, s.ExpiresAt });
        });

        builder.Entity<ApiKey>(key =>
        {
            key.Property(k => k.Name).HasMaxLength(100);
            key.Property(k => k.Hash).HasMaxLength(64);
            key.Property(k => k.Prefix).HasMaxLength(16);
            // Cascade: a deleted user's keys go with them, so they stop working at once.
            key.HasOne<VeekyUser>().WithMany().HasForeignKey(k => k.UserId).OnDelete(DeleteBehavior.Cascade);
            key.HasIndex(k => k.Hash).IsUnique();
            key.HasIndex(k => k.UserId);
        });

        builder.Entity<Category>(category =>
        {
            category.Property(c => c.Name).HasMaxLength(100);
            category.Property(c => c.ImageEmbeddingModel).HasMaxLength(200);
            category.HasIndex(c => c.Name).IsUnique();
        });

        builder.Entity<UserCategory>(uc =>
        {
            uc.HasKey(x => new { x.UserId, x.CategoryId });
            uc.HasOne<Category>().WithMany().HasForeignKey(x => x.CategoryId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<Video>(video =>
        {
            video.Property(v => v.Title).HasMaxLength(200);
            video.Property(v => v.Status).HasConversion<string>().HasMaxLength(16);
            video.Property(v => v.Stage).HasConversion<string>().HasMaxLength(24);
            video.Property(v => v.StoragePath).HasMaxLength(400);
            video.Property(v => v.OriginalFileName).HasMaxLength(400);
            video.Property(v => v.SourceUrl).HasMaxLength(2000);
            video.Property(v => v.ContentType).HasMaxLength(100);
            video.Property(v => v.Sha256).HasMaxLength(64);
            // Restrict: a category in use cannot be deleted (API.md answers 409).
            video.HasOne<Category>().WithMany().HasForeignKey(v => v.CategoryId).OnDelete(DeleteBehavior.Restrict);
            video.HasOne<VeekyUser>().WithMany().HasForeignKey(v => v.UploaderId).OnDelete(DeleteBehavior.Restrict);
            video.HasMany(v => v.Segments).WithOne().HasForeignKey(s => s.VideoId).OnDelete(DeleteBehavior.Cascade);
            video.HasIndex(v => new { v.CategoryId, v.CreatedAt });
            video.HasIndex(v => v.CreatedAt);
        });

        builder.Entity<Segment>(segment =>
        {
            segment.HasKey(s => new { s.VideoId, s.Index });
            segment.Property(s => s.KeyframePath).HasMaxLength(400);
            segment.Property(s => s.TextEmbedding).HasConversion(VectorBytes.Converter, VectorBytes.Comparer);
            segment.Property(s => s.ImageEmbedding).HasConversion(VectorBytes.Converter, VectorBytes.Comparer);
            segment.Property(s => s.TextEmbeddingModel).HasMaxLength(200);
            segment.Property(s => s.ImageEmbeddingModel).HasMaxLength(200);
        });

        builder.Entity<VideoShare>(share =>
        {
            share.HasOne<Video>().WithMany().HasForeignKey(s => s.VideoId).OnDelete(DeleteBehavior.Cascade);
            share.HasIndex(s => s.VideoId);
        });

        builder.Entity<IndexingJob>(job =>
        {
            job.Property(j => j.Status).HasConversion<string>().HasMaxLength(16);
            job.Property(j => j.LeaseOwner).HasMaxLength(200);
            job.Property(j => j.CompletedStages).HasMaxLength(400);
            job.Property(j => j.TraceParent).HasMaxLength(100);
            job.HasOne<Video>().WithMany().HasForeignKey(j => j.VideoId).OnDelete(DeleteBehavior.Cascade);
            job.HasIndex(j => new { j.Status, j.RunAfter });
            job.HasIndex(j => j.VideoId);
        });

        builder.Entity<Webhook>(webhook =>
        {
            webhook.Property(w => w.Url).HasMaxLength(2000);
            webhook.Property(w => w.Events).HasMaxLength(200);
            webhook.Property(w => w.ProtectedSecret).HasMaxLength(1000);
            webhook.Ignore(w => w.EventList);
        });

        builder.Entity<WebhookDelivery>(delivery =>
        {
            delivery.Property(d => d.Type).HasMaxLength(40);
            delivery.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
            delivery.Property(d => d.LeaseOwner).HasMaxLength(200);
            delivery.Property(d => d.LastError).HasMaxLength(1000);
            delivery.HasOne<Webhook>().WithMany().HasForeignKey(d => d.WebhookId).OnDelete(DeleteBehavior.Cascade);
            delivery.HasIndex(d => new { d.Status, d.NextAttemptAt });
            delivery.HasIndex(d => new { d.WebhookId, d.CreatedAt });
        });

        builder.Entity<Config>(config =>
        {
            config.HasKey(c => c.Key);
            config.Property(c => c.Key).HasMaxLength(200);
        });

        builder.Entity<Prompt>(prompt =>
        {
            prompt.HasKey(p => p.Name);
            prompt.Property(p => p.Name).HasMaxLength(100);
            prompt.Property(p => p.Description).HasMaxLength(400);
        });

        builder.Entity<ImporterLease>(lease =>
        {
            lease.HasKey(l => l.Name);
            lease.Property(l => l.Name).HasMaxLength(64);
            lease.Property(l => l.Holder).HasMaxLength(200);
        });

        builder.Entity<LlmSetting>(setting =>
        {
            setting.HasKey(s => s.Purpose);
            setting.Property(s => s.Purpose).HasMaxLength(32);
            setting.Property(s => s.Model).HasMaxLength(200);
            setting.Property(s => s.Endpoint).HasMaxLength(400);
            setting.Property(s => s.Language).HasMaxLength(8);
        });
    }
}
