using Veeky.Search;

/// <summary>One text engine under test: indexes moments with their video's fields copied in, answers top-k by BM25.</summary>
internal interface ITextEngine : IDisposable
{
    string Name { get; }

    /// <summary>Indexes one video's segments; ids are given by the caller so both engines' hits can be compared.</summary>
    void Add(VideoDocument video, IReadOnlyList<SegmentDocument> segments, long firstId);

    /// <summary>Makes everything added durable and searchable.</summary>
    void Finish();

    /// <summary>The ids of the best <paramref name="limit"/> moments matching every word, in the categories given (null: all).</summary>
    IReadOnlyList<long> Search(IReadOnlyList<string> words, IReadOnlyList<Guid>? categories, int limit);

    long DiskBytes { get; }
}

/// <summary>The text of a segment's searchable fields, made as SqliteSearchIndex makes them.</summary>
internal sealed record SegmentText(string Title, string Keywords, string Description, string Transcript, string Ocr, string Caption)
{
    /// <summary>Field names in FTS column order, with the BM25 weights SqliteSearchIndex gives them.</summary>
    public static readonly (string Name, float Weight)[] Fields =
    [
        ("title", 4.0f), ("keywords", 3.0f), ("description", 1.5f), ("transcript", 1.0f), ("ocr", 1.0f), ("caption", 1.0f),
    ];

    public static SegmentText Of(VideoDocument video, SegmentDocument segment) => new(
        SnippetMarkup.Clean(video.Title),
        string.Join(", ", video.Keywords.Concat(segment.Keywords).Select(k => SnippetMarkup.Clean(k).Trim())
            .Where(k => k.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase)),
        SnippetMarkup.Clean(string.Join("\n\n", new[] { video.Description, video.Summary }.Where(t => !string.IsNullOrWhiteSpace(t)))),
        SnippetMarkup.Clean(segment.Transcript),
        SnippetMarkup.Clean(segment.OcrText),
        SnippetMarkup.Clean(segment.Caption));

    public string this[int field] => field switch
    {
        0 => Title, 1 => Keywords, 2 => Description, 3 => Transcript, 4 => Ocr, _ => Caption,
    };
}
