using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Veeky.Indexer;
using Veeky.Indexer.Speech;
using Veeky.Speech;
using Veeky.Tests.Infrastructure;
using Whisper.net;
using Whisper.net.Ggml;
using Whisper.net.LibraryLoader;

namespace Veeky.Tests.Speech;

/// <summary>Whisper.net up to the model (no model file can be fetched on the build machine): settings, the native
/// runtime, missing, corrupt and downloaded model files. The real transcription is
/// <see cref="Conformance.WhisperNetTranscriberConformanceTests"/>.</summary>
public sealed class WhisperNetTranscriberTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly TempFolder _folder = new("veeky-whisper-net");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void The_native_cpu_runtime_loads()
    {
        var info = WhisperFactory.GetRuntimeInfo();

        Assert.Contains("CPU", info, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(RuntimeLibrary.Cpu, RuntimeOptions.LoadedLibrary);
        Assert.Contains("en", WhisperFactory.GetSupportedLanguages());
    }

    [Fact]
    public void A_missing_model_file_without_a_download_stops_the_host_with_a_sentence_naming_the_setting()
    {
        var missing = _folder.File("ggml-base.bin");

        var error = Assert.Throws<OptionsValidationException>(() => Options(new() { ["ModelPath"] = missing }));

        Assert.Contains($"Veeky:Indexer:WhisperNet:ModelPath names {missing}, which does not exist", error.Message);
        Assert.Contains("DownloadModel", error.Message);
    }

    [Fact]
    public void A_language_whisper_does_not_know_is_refused_at_start()
    {
        var model = _folder.File("ggml-base.bin");
        File.WriteAllText(model, "model");

        var error = Assert.Throws<OptionsValidationException>(() => Options(new() { ["ModelPath"] = model, ["Language"] = "klingon" }));

        Assert.Contains("Veeky:Indexer:WhisperNet:Language is 'klingon'", error.Message);
    }

    [Fact]
    public void Language_auto_a_whisper_language_and_a_download_for_a_missing_file_are_accepted()
    {
        var options = Options(new() { ["ModelPath"] = _folder.File("later.bin"), ["Language"] = "de", ["DownloadModel"] = "BaseEn", ["Threads"] = "2" });

        Assert.Equal(GgmlType.BaseEn, options.DownloadModel);
        Assert.Equal(2, options.Threads);
        Assert.Equal("auto", Options(new() { ["ModelPath"] = _folder.File("later.bin"), ["DownloadModel"] = "Base" }).Language);
    }

    [Fact]
    public void A_model_path_makes_whisper_net_the_recogniser_and_without_one_it_is_not()
    {
        var model = _folder.File("ggml-base.bin");
        File.WriteAllText(model, "model");

        Assert.IsType<WhisperNetTranscriber>(Transcriber(new() { ["Veeky:Indexer:WhisperNet:ModelPath"] = model }));
        Assert.IsNotType<WhisperNetTranscriber>(Transcriber([]));
    }

    [Fact]
    public async Task A_corrupt_model_file_fails_the_transcription_with_a_sentence_naming_the_file()
    {
        var model = _folder.File("ggml-base.bin");
        await File.WriteAllTextAsync(model, "this is not a ggml model", Ct);
        using var transcriber = new WhisperNetTranscriber(Microsoft.Extensions.Options.Options.Create(new WhisperNetOptions { ModelPath = model }),
            new ListLogger());

        var error = await Assert.ThrowsAsync<WhisperModelException>(() => transcriber.TranscribeAsync(_folder.File("speech.wav"), null, Ct));

        Assert.Contains($"The Whisper model file {model} could not be loaded: it is corrupt or not a ggml Whisper model", error.Message);
    }

    [Fact]
    public async Task A_missing_model_is_fetched_by_whisper_net_from_the_configured_source_with_progress_in_the_log()
    {
        var model = _folder.File("models/ggml-base.bin");
        var bytes = new byte[3_000_000];
        Random.Shared.NextBytes(bytes);
        using var source = new ModelSource(bytes);
        var log = new ListLogger();
        using var transcriber = new WhisperNetTranscriber(
            Microsoft.Extensions.Options.Options.Create(new WhisperNetOptions { ModelPath = model, DownloadModel = GgmlType.Base }), log);

        await transcriber.DownloadAsync(GgmlType.Base, source.Uri, model, Ct);

        Assert.Equal(bytes, await File.ReadAllBytesAsync(model, Ct));
        Assert.Contains("ggml-base", Assert.Single(source.Paths));
        Assert.Equal([.. Enumerable.Range(1, 10).Select(t => $"Downloading Whisper model Base: {t * 10}% of 3 MB")],
            log.Messages.Where(m => m.StartsWith("Downloading Whisper model Base:", StringComparison.Ordinal)));
        Assert.Contains(log.Messages, m => m.StartsWith("Downloaded Whisper model Base: 3.0 MB", StringComparison.Ordinal));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(model)!));
    }

    [Fact]
    public async Task A_failed_download_leaves_no_model_file_behind()
    {
        var model = _folder.File("ggml-base.bin");
        using var source = new ModelSource(null);
        using var transcriber = new WhisperNetTranscriber(
            Microsoft.Extensions.Options.Options.Create(new WhisperNetOptions { ModelPath = model, DownloadModel = GgmlType.Base }), new ListLogger());

        await Assert.ThrowsAsync<HttpRequestException>(() => transcriber.DownloadAsync(GgmlType.Base, source.Uri, model, Ct));

        Assert.Empty(Directory.GetFiles(_folder.Path));
    }

    private static WhisperNetOptions Options(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(settings.ToDictionary(s => $"{WhisperNetOptions.Section}:{s.Key}", s => s.Value));
        builder.AddValidatedOptions<WhisperNetOptions>(WhisperNetOptions.Section);
        using var host = builder.Build();
        return host.Services.GetRequiredService<IOptions<WhisperNetOptions>>().Value;
    }

    private ITranscriber? Transcriber(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Veeky:DataDirectory"] = _folder.Path });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddVeekyCore();
        builder.AddVeekyIndexer();
        using var host = builder.Build();
        return host.Services.GetService<ITranscriber>();
    }

    /// <summary>A loopback stand-in for the model repository: answers any path with the bytes (404 without them).</summary>
    private sealed class ModelSource : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly ConcurrentQueue<string> _paths = new();

        public ModelSource(byte[]? model)
        {
            var port = FreePort();
            Uri = new Uri($"http://127.0.0.1:{port}/mirror/");
            _listener.Prefixes.Add(Uri.AbsoluteUri);
            _listener.Start();
            _ = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext context;
                    try { context = await _listener.GetContextAsync(); }
                    catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException) { return; }
                    _paths.Enqueue(context.Request.Url!.AbsolutePath);
                    if (model is null)
                    {
                        context.Response.StatusCode = 404;
                    }
                    else
                    {
                        context.Response.ContentLength64 = model.Length;
                        await context.Response.OutputStream.WriteAsync(model);
                    }
                    context.Response.Close();
                }
            });
        }

        public Uri Uri { get; }

        public IReadOnlyList<string> Paths => _paths.ToList();

        public void Dispose() => _listener.Close();

        private static int FreePort()
        {
            using var socket = new TcpListener(IPAddress.Loopback, 0);
            socket.Start();
            return ((IPEndPoint)socket.LocalEndpoint).Port;
        }
    }

    private sealed class ListLogger : ILogger<WhisperNetTranscriber>
    {
        private readonly ConcurrentQueue<string> _messages = new();

        public IReadOnlyList<string> Messages => _messages.ToList();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _messages.Enqueue(formatter(state, exception));
    }
}
