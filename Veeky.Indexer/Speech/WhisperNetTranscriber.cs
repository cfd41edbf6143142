using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Veeky.Speech;
using Whisper.net;
using Whisper.net.Ggml;

namespace Veeky.Indexer.Speech;

/// <summary>
/// <see cref="ITranscriber"/> with Whisper.net: whisper.cpp in this process on the CPU, from the ggml model file in
/// <see cref="WhisperNetOptions.ModelPath"/> (fetched first by Whisper.net's downloader when it is missing and
/// <see cref="WhisperNetOptions.DownloadModel"/> says which). Each word is its own segment, so words keep their times.
/// </summary>
public sealed class WhisperNetTranscriber(IOptions<WhisperNetOptions> options, ILogger<WhisperNetTranscriber> logger)
    : ITranscriber, IDisposable
{
    private readonly SemaphoreSlim _loading = new(1, 1);
    private WhisperFactory? _factory;

    public string Name => "whisper.net";

    public Task<IReadOnlyList<TranscriptWord>> TranscribeAsync(string wavPath, IProgress<double>? progress, CancellationToken ct) =>
        TranscribeAsync(wavPath, null, progress, ct);

    /// <param name="language">The LLM settings' transcription language; null falls back to
    /// <see cref="WhisperNetOptions.Language"/> (<c>auto</c> detects it).</param>
    public async Task<IReadOnlyList<TranscriptWord>> TranscribeAsync(string wavPath, string? language, IProgress<double>? progress, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var settings = options.Value;
        language = string.IsNullOrWhiteSpace(language) ? settings.Language : language.Trim();
        var factory = await LoadAsync(ct);
        var builder = factory.CreateBuilder()
            .WithThreads(settings.Threads)
            // One word per segment: whisper.cpp's own word timing (token timestamps, split on word, at most one word).
            .WithTokenTimestamps().SplitOnWord().WithMaxSegmentLength(1)
            .WithProgressHandler(percent => progress?.Report(Math.Clamp(percent / 100.0, 0, 1)));
        builder = string.Equals(language, "auto", StringComparison.OrdinalIgnoreCase)
            ? builder.WithLanguageDetection()
            : builder.WithLanguage(language);
        await using var processor = builder.Build();
        await using var wav = File.OpenRead(wavPath);
        var words = new List<TranscriptWord>();
        await foreach (var segment in processor.ProcessAsync(wav, ct))
        {
            if (ToWord(segment) is { } word)
            {
                words.Add(word);
            }
        }
        progress?.Report(1);
        return words;
    }

    /// <summary>A segment as a word; null for blanks and whisper's bracketed notes (<c>[BLANK_AUDIO]</c>, <c>(music)</c>).</summary>
    public static TranscriptWord? ToWord(SegmentData segment)
    {
        var text = segment.Text.Trim();
        if (text.Length == 0 || text[0] is '[' or '(' || text[^1] is ']' or ')')
        {
            return null;
        }
        return new TranscriptWord(text, Math.Round(segment.Start.TotalSeconds, 3), Math.Round(Math.Max(segment.End.TotalSeconds, segment.Start.TotalSeconds), 3));
    }

    /// <summary>The model, loaded once (downloaded first when it is missing and a download is configured).</summary>
    private async Task<WhisperFactory> LoadAsync(CancellationToken ct)
    {
        if (_factory is { } loaded)
        {
            return loaded;
        }
        await _loading.WaitAsync(ct);
        try
        {
            if (_factory is null)
            {
                var settings = options.Value;
                var path = settings.ModelPath!;
                if (!File.Exists(path) && settings.DownloadModel is { } model)
                {
                    await DownloadAsync(model, settings.DownloadSource, path, ct);
                }
                _factory = Open(path);
                logger.LogInformation("Whisper model {Path} loaded ({Runtime})", path, WhisperFactory.GetRuntimeInfo()?.Trim());
            }
            return _factory;
        }
        finally
        {
            _loading.Release();
        }
    }

    /// <summary>Loads a ggml model file; a missing or unreadable file is a <see cref="WhisperModelException"/> naming it.</summary>
    public static WhisperFactory Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new WhisperModelException($"The Whisper model file {path} does not exist ({WhisperNetOptions.Section}:ModelPath).");
        }
        WhisperFactory? factory = null;
        try
        {
            factory = WhisperFactory.FromPath(path);
            // The model is read when the first processor is built: build one now, so a bad file fails here, named.
            factory.CreateBuilder();
            return factory;
        }
        catch (WhisperModelLoadException ex)
        {
            factory?.Dispose();
            throw new WhisperModelException(
                $"The Whisper model file {path} could not be loaded: it is corrupt or not a ggml Whisper model ({ex.Message}).", ex);
        }
    }

    /// <summary>Fetches <paramref name="model"/> with Whisper.net's downloader into a partial file beside
    /// <paramref name="path"/>, logging each tenth of it, and moves it into place only when complete.</summary>
    public async Task DownloadAsync(GgmlType model, Uri source, string path, CancellationToken ct)
    {
        var redirect = new SourceHandler(source);
        using var http = new HttpClient(redirect) { Timeout = Timeout.InfiniteTimeSpan };
        logger.LogInformation("Whisper model {Path} is missing: downloading {Model} from {Source}", path, model, source);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var partial = $"{path}.{Guid.NewGuid():N}.partial";
        try
        {
            await using (var download = await new WhisperGgmlDownloader(http).GetGgmlModelAsync(model, QuantizationType.NoQuantization, ct))
            await using (var file = File.Create(partial))
            {
                var buffer = new byte[1 << 16];
                long received = 0;
                var loggedTenths = 0;
                int read;
                while ((read = await download.ReadAsync(buffer, ct)) > 0)
                {
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                    received += read;
                    if (redirect.ContentLength is long total && total > 0 && (int)(received * 10 / total) is var tenths && tenths > loggedTenths)
                    {
                        loggedTenths = tenths;
                        logger.LogInformation("Downloading Whisper model {Model}: {Percent}% of {Megabytes:0} MB", model, tenths * 10, total / 1e6);
                    }
                }
                logger.LogInformation("Downloaded Whisper model {Model}: {Megabytes:0.0} MB", model, received / 1e6);
            }
            File.Move(partial, path, overwrite: false);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    public void Dispose()
    {
        _factory?.Dispose();
        _loading.Dispose();
    }

    /// <summary>Sends the downloader's requests to <paramref name="source"/> instead of Whisper.net's Hugging Face
    /// repository (the same layout) and notes the download's length for the progress log.</summary>
    private sealed class SourceHandler(Uri source) : DelegatingHandler(new HttpClientHandler())
    {
        public long? ContentLength { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var original = request.RequestUri!.AbsoluteUri;
            var home = WhisperNetOptions.HuggingFaceSource.AbsoluteUri;
            if (original.StartsWith(home, StringComparison.Ordinal))
            {
                request.RequestUri = new Uri(new Uri(source.AbsoluteUri.TrimEnd('/') + "/"), original[home.Length..]);
            }
            var response = await base.SendAsync(request, ct);
            response.EnsureSuccessStatusCode();
            ContentLength = response.Content.Headers.ContentLength;
            return response;
        }
    }
}

/// <summary>The Whisper model file is missing, corrupt or not a Whisper model; the message names the file.</summary>
public sealed class WhisperModelException(string message, Exception? inner = null) : Exception(message, inner);
