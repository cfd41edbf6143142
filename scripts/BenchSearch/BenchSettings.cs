/// <summary>Command-line settings of the search benchmark; the defaults are the quick run (100,000 moments).</summary>
internal sealed record BenchSettings(int Segments, int SegmentsPerVideo, int Categories, int Dimensions, int Queries, int Warmup, string? Directory, bool Reuse = false,
    int ImageDimensions = 512, int RecallQueries = 50, bool ScanOnly = false)
{
    public static BenchSettings Parse(string[] args)
    {
        var settings = new BenchSettings(Segments: 100_000, SegmentsPerVideo: 50, Categories: 10, Dimensions: 384,
            Queries: 100, Warmup: 10, Directory: null);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (args[i] == "--reuse")
            {
                settings = settings with { Reuse = true };
                i--;
                continue;
            }
            if (args[i] == "--scan-only")
            {
                settings = settings with { ScanOnly = true };
                i--;
                continue;
            }
            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"Option {args[i]} needs a value.");
            }
            settings = args[i] switch
            {
                "--segments" => settings with { Segments = int.Parse(args[i + 1]) },
                "--queries" => settings with { Queries = int.Parse(args[i + 1]) },
                "--recall-queries" => settings with { RecallQueries = int.Parse(args[i + 1]) },
                "--dimensions" => settings with { Dimensions = int.Parse(args[i + 1]) },
                "--dir" => settings with { Directory = args[i + 1] },
                // Keyframe vectors of an image model (CLIP ViT-B/32 gives 512); 0 leaves them out.
                "--image-dimensions" => settings with { ImageDimensions = int.Parse(args[i + 1]) },
                _ => throw new ArgumentException($"Unknown option {args[i]}; use --segments N, --queries N, --recall-queries N, --dimensions N, --image-dimensions N, --dir PATH, --reuse, --scan-only."),
            };
        }
        return settings;
    }

    /// <summary>The same settings as arguments, for the measuring process started after the build.</summary>
    public IEnumerable<string> ToArguments() =>
    [
        "--segments", Segments.ToString(), "--queries", Queries.ToString(), "--recall-queries", RecallQueries.ToString(),
        "--dimensions", Dimensions.ToString(), "--image-dimensions", ImageDimensions.ToString(),
    ];
}
