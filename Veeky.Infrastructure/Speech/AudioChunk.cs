namespace Veeky.Speech;

/// <summary>
/// One piece of long audio sent on its own: <see cref="Start"/>/<see cref="Length"/> say what is cut out, and
/// words are kept only when they start in [<see cref="KeepFrom"/>, <see cref="KeepUntil"/>) — the cuts sit in the
/// middle of each overlap, so every word is taken from exactly one piece, the one that heard it with most context.
/// </summary>
internal sealed record AudioChunk(double Start, double Length, double KeepFrom, double KeepUntil)
{
    /// <summary>Plans pieces of <paramref name="length"/> s overlapping by <paramref name="overlap"/> s; one piece
    /// covering everything when the audio is short enough or its length is unknown.</summary>
    public static IReadOnlyList<AudioChunk> Plan(double? duration, double length, double overlap)
    {
        if (duration is not { } total || total <= length)
        {
            return [new AudioChunk(0, duration ?? double.PositiveInfinity, 0, double.PositiveInfinity)];
        }
        var step = length - overlap;
        var starts = new List<double> { 0 };
        while (starts[^1] + length < total)
        {
            starts.Add(starts[^1] + step);
        }
        var chunks = new List<AudioChunk>(starts.Count);
        for (var i = 0; i < starts.Count; i++)
        {
            var keepFrom = i == 0 ? 0 : starts[i] + overlap / 2;
            var keepUntil = i == starts.Count - 1 ? double.PositiveInfinity : starts[i + 1] + overlap / 2;
            chunks.Add(new AudioChunk(starts[i], Math.Min(length, total - starts[i]), keepFrom, keepUntil));
        }
        return chunks;
    }
}
