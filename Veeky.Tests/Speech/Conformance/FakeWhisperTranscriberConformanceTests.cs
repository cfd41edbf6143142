using Microsoft.Extensions.Logging.Abstractions;
using Veeky.Speech;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Speech.Conformance;

/// <summary>The transcriber conformance suite against the fake Whisper server.</summary>
public sealed class FakeWhisperTranscriberConformanceTests(FakeModelServer server) : TranscriberConformanceTests, IClassFixture<FakeModelServer>
{
    protected override Task<ITranscriber> CreateTranscriberAsync() =>
        Task.FromResult<ITranscriber>(new WhisperTranscriber(new HttpClient(), server.Connection("whisper-1"), new WhisperTranscriberOptions(),
            Processes, NullLogger<WhisperTranscriber>.Instance));
}
