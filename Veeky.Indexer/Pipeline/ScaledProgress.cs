namespace Veeky.Indexer.Pipeline;

/// <summary>Maps a step's own 0..1 progress into the part [<paramref name="from"/>, <paramref name="to"/>] of its stage.</summary>
public sealed class ScaledProgress(IProgress<double> stage, double from, double to) : IProgress<double>
{
    public void Report(double value) => stage.Report(from + (to - from) * Math.Clamp(value, 0, 1));
}
