using Microsoft.Extensions.Logging.Abstractions;
using Veeky.Speech;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Speech.Conformance;

/// <summary>The transcriber conformance suite against the Whisper server named by <c>VEEKY_TEST_WHISPER</c>.</summary>
public sealed class RealWhisperTranscriberConformanceTests : TranscriberConformanceTests
{
    protected override async Task<ITranscriber> CreateTranscriberAsync() =>
        new WhisperTranscriber(new HttpClient { Timeout = Timeout.InfiniteTimeSpan }, await RealModelEndpoints.WhisperAsync(),
            new WhisperTranscriberOptions(), Processes, NullLogger<WhisperTranscriber>.Instance);
}
