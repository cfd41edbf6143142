namespace Veeky.Bench;

/// <summary>Percentiles of a set of latency samples in milliseconds.</summary>
internal sealed record Latency(double P50, double P95, double P99, double Max)
{
    public static Latency Of(IReadOnlyCollection<double> samples)
    {
        var sorted = samples.Order().ToArray();
        double At(double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
        return new Latency(At(0.50), At(0.95), At(0.99), sorted[^1]);
    }
}
