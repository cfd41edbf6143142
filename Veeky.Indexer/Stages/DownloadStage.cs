using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Veeky.Import;
using Veeky.Indexer.Pipeline;
using Veeky.Media;
using Veeky.Net;
using Veeky.Videos;

namespace Veeky.Indexer.Stages;

/// <summary>
/// Fetches the file of a video imported by URL, the first stage of its job (every other video passes straight through):
/// the upload's size limit while streaming, the upload's probe on the result, and every connection (redirects, a DNS
/// answer that changed since the request) checked against private addresses. The file is written under a temp name in
/// the video's folder and moved into place only when complete and probed; a failure leaves no file.
/// </summary>
public sealed class DownloadStage : IPipelineStage, IDisposable
{
    /// <summary>A server that takes longer than this to start answering is not going to send a video.</summary>
    private static readonly TimeSpan HeadersTimeout = TimeSpan.FromMinutes(1);

    private readonly StageDatabase _database;
    private readonly IMediaStore _media;
    private readonly IMediaProbe _probe;
    private readonly IOptions<VeekyOptions> _options;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _idleTimeout;
    private readonly ILogger<DownloadStage> _logger;
    private readonly HttpClient _http;

    public DownloadStage(StageDatabase database, IMediaStore media, IMediaProbe probe, IOptions<VeekyOptions> options,
        IOptions<ImportOptions> import, TimeProvider clock, ILogger<DownloadStage> logger)
    {
        _database = database;
        _media = media;
        _probe = probe;
        _options = options;
        _clock = clock;
        _idleTimeout = import.Value.DownloadIdleTimeout;
        _logger = logger;
        // Its own client, not the factory's: the service defaults' resilience handler would cut a long download at its
        // total timeout and retry it whole; retries belong to the job queue here.
        _http = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = ImportAddressGuard.ConnectCallback(import.Value.AllowPrivateNetworks),
            ConnectTimeout = TimeSpan.FromSeconds(30),
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 5,
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            Timeout = HeadersTimeout,
        };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("Veeky-Import/1.0");
    }

    public VideoStage Stage => VideoStage.Downloading;
    public IReadOnlyList<VideoStage> DependsOn => [];
    /// <summary>Small, though a download can take long: every upload passes through this stage at once, and a larger
    /// share would make each upload's bar jump at the start. The stage's own percentage is what the download shows.</summary>
    public double Weight => 0.05;

    public async Task<StageResult> RunAsync(StageContext context, CancellationToken ct)
    {
        string? sourceUrl;
        string storagePath;
        await using (var db = _database.Open())
        {
            var video = await db.Videos.AsNoTracking().Where(v => v.Id == context.VideoId)
                .Select(v => new { v.SourceUrl, v.StoragePath }).FirstOrDefaultAsync(ct)
                ?? throw new VideoGoneException(context.VideoId);
            (sourceUrl, storagePath) = (video.SourceUrl, video.StoragePath);
        }
        if (sourceUrl is null || _media.Exists(storagePath))
        {
            return StageResult.Done(); // an upload, or an import whose file an earlier attempt already stored
        }

        var maxBytes = _options.Value.Upload.MaxBytes;
        var downloadPath = _media.OriginalPath(context.VideoId, ".download");
        var stored = await FetchAsync(new Uri(sourceUrl), downloadPath, maxBytes, context.Progress, ct);
        try
        {
            var info = await _probe.ProbeAsync(_media.GetFullPath(stored.RelativePath), ct)
                ?? throw new InvalidDataException("The downloaded file is not a video that can be read (ffprobe found no video stream with a duration).");
            var finalPath = _media.OriginalPath(context.VideoId, info.FileExtension);
            File.Move(_media.GetFullPath(stored.RelativePath), _media.GetFullPath(finalPath), overwrite: true);
            await using var db = _database.Open();
            var video = await db.Videos.FirstOrDefaultAsync(v => v.Id == context.VideoId, ct) ?? throw new VideoGoneException(context.VideoId);
            video.StoragePath = finalPath;
            video.SizeBytes = stored.SizeBytes;
            video.Sha256 = stored.Sha256;
            video.ApplyProbe(info);
            video.UpdatedAt = _clock.GetUtcNow();
            try
            {
                await context.SaveChangesAsync(db, ct);
            }
            catch
            {
                File.Delete(_media.GetFullPath(finalPath));
                throw;
            }
            return StageResult.Done();
        }
        finally
        {
            // Gone when it was moved; otherwise a file that failed the probe, which must not stay.
            File.Delete(_media.GetFullPath(stored.RelativePath));
        }
    }

    /// <summary>Streams the link's body into the media store (temp name, moved into place when complete). Failures
    /// become sentences for the video's error; <see cref="InvalidDataException"/> carries them through the runner as they are.</summary>
    private async Task<StoredFile> FetchAsync(Uri url, string relativePath, long maxBytes, IProgress<double> progress, CancellationToken ct)
    {
        try
        {
            using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidDataException(
                    $"Downloading the video failed: {url.Host} answered {(int)response.StatusCode} {response.ReasonPhrase}.".Replace(" .", ".", StringComparison.Ordinal));
            }
            var length = response.Content.Headers.ContentLength;
            if (length > maxBytes)
            {
                throw TooLarge(maxBytes);
            }
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            await using var counting = new CountingStream(body, length, progress, _idleTimeout);
            return await _media.SaveAsync(relativePath, counting, maxBytes, ct);
        }
        catch (DownloadStalledException stalled)
        {
            throw new InvalidDataException(
                $"Downloading the video failed: {url.Host} stopped sending after {stalled.BytesRead} bytes and sent nothing for "
                + $"{_idleTimeout.TotalSeconds:0} seconds (Veeky:Import:DownloadIdleTimeout).", stalled);
        }
        catch (FileTooLargeException)
        {
            throw TooLarge(maxBytes);
        }
        catch (HttpRequestException ex) when (FindRefusal(ex) is { } refused)
        {
            throw new InvalidDataException($"Downloading the video failed: {refused.Message}", ex);
        }
        catch (HttpRequestException ex)
        {
            _logger.LogInformation(ex, "Download of {Url} failed", url);
            throw new InvalidDataException($"Downloading the video failed: {url.Host} could not be reached or broke off the transfer ({ex.HttpRequestError}).", ex);
        }
        catch (IOException ex) when (!ct.IsCancellationRequested)
        {
            throw new InvalidDataException($"Downloading the video failed: {url.Host} broke off the transfer.", ex);
        }
        catch (TaskCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new InvalidDataException($"Downloading the video failed: {url.Host} did not answer within {HeadersTimeout.TotalSeconds:0} seconds.", ex);
        }
    }

    private static InvalidDataException TooLarge(long maxBytes) =>
        new($"Downloading the video failed: the file is larger than the upload limit of {maxBytes} bytes (Veeky:Upload:MaxBytes).");

    private static PrivateAddressRefusedException? FindRefusal(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is PrivateAddressRefusedException refused)
            {
                return refused;
            }
        }
        return null;
    }

    public void Dispose() => _http.Dispose();

    /// <summary>The body stopped arriving: no byte for the idle timeout.</summary>
    private sealed class DownloadStalledException(long bytesRead, Exception inner) : Exception($"No data after {bytesRead} bytes.", inner)
    {
        public long BytesRead => bytesRead;
    }

    /// <summary>Reports the share of the announced length read so far (nothing when the server announces none), and
    /// gives up on a read that receives nothing for <paramref name="idleTimeout"/>: the client's timeout covers only
    /// the wait for the headers, and a server may stall mid-body with the connection left open.</summary>
    private sealed class CountingStream(Stream inner, long? length, IProgress<double> progress, TimeSpan idleTimeout) : Stream
    {
        private long _read;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            idle.CancelAfter(idleTimeout);
            int read;
            try
            {
                read = await inner.ReadAsync(buffer, idle.Token);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new DownloadStalledException(_read, ex);
            }
            Count(read);
            return read;
        }

        /// <summary>Not timed: the media store reads asynchronously; this is here because a Stream must have it.</summary>
        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            Count(read);
            return read;
        }

        private void Count(int read)
        {
            _read += read;
            if (length is > 0 and var total)
            {
                progress.Report((double)_read / total);
            }
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
