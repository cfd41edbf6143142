namespace Veeky.Search;

/// <summary>A row id with its score (higher is better): what a search leg returns and <see cref="HybridFusion"/> fuses.</summary>
public readonly record struct ScoredId(long Id, double Score);
