using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Veeky.Indexer.Speech;
using Veeky.Speech;

namespace Veeky.Tests.Speech.Conformance;

/// <summary>The transcriber conformance suite against in-process Whisper.net with the ggml model file named by
/// <c>VEEKY_TEST_WHISPER_MODEL</c> (no model can be fetched on the build machine, so it is skipped without one).</summary>
public sealed class WhisperNetTranscriberConformanceTests : TranscriberConformanceTests
{
    protected override Task<ITranscriber> CreateTranscriberAsync()
    {
        var model = Environment.GetEnvironmentVariable("VEEKY_TEST_WHISPER_MODEL");
        if (string.IsNullOrWhiteSpace(model) || !File.Exists(model))
        {
            Assert.Skip("Set VEEKY_TEST_WHISPER_MODEL to a ggml Whisper model file (e.g. ggml-base.en.bin) to transcribe with Whisper.net.");
        }
        return Task.FromResult<ITranscriber>(new WhisperNetTranscriber(
            Options.Create(new WhisperNetOptions { ModelPath = model, Language = "en" }), NullLogger<WhisperNetTranscriber>.Instance));
    }
}
