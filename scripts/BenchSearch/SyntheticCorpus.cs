using Veeky.Search;

/// <summary>
/// Generates English-like text from a fixed vocabulary of made-up words, drawn with a Zipf distribution (a few words are
/// very common, most are rare, as in speech), plus random unit vectors. Everything comes from seeded generators.
/// </summary>
internal sealed class SyntheticCorpus
{
    private static readonly string[] Onsets = ["b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "st", "tr", "pl", "ch", "sh"];
    private static readonly string[] Vowels = ["a", "e", "i", "o", "u", "ai", "ea", "ou"];
    private static readonly string[] Codas = ["", "n", "r", "s", "t", "nd", "ng", "ck", "ll", "st"];

    /// <summary>Distinct words: a speaking vocabulary of this size gives a realistic spread of document frequencies.</summary>
    private const int VocabularySize = 5000;

    private readonly Random _random;
    /// <summary>Keyframe vectors come from their own generator, so adding them leaves the text corpus as it was.</summary>
    private readonly Random _imageRandom;
    private readonly int _dimensions;
    private readonly int _imageDimensions;
    private readonly string[] _words;
    private readonly double[] _cumulative;

    public SyntheticCorpus(int seed, int dimensions, int imageDimensions = 0)
    {
        _random = new Random(seed);
        _imageRandom = new Random(seed + 1);
        _dimensions = dimensions;
        _imageDimensions = imageDimensions;
        var words = new HashSet<string>();
        while (words.Count < VocabularySize)
        {
            var syllables = 1 + _random.Next(3);
            var word = string.Concat(Enumerable.Range(0, syllables).Select(_ =>
                Onsets[_random.Next(Onsets.Length)] + Vowels[_random.Next(Vowels.Length)] + Codas[_random.Next(Codas.Length)]));
            words.Add(word);
        }
        _words = [.. words];
        // Zipf with exponent 1: the word of rank r is drawn with probability proportional to 1 / r.
        _cumulative = new double[_words.Length];
        var sum = 0.0;
        for (var r = 0; r < _words.Length; r++)
        {
            sum += 1.0 / (r + 1);
            _cumulative[r] = sum;
        }
        for (var r = 0; r < _cumulative.Length; r++)
        {
            _cumulative[r] /= sum;
        }
    }

    public VideoDocument Video(Guid id, Guid category) => new(id, category, Sentence(_random, 4),
        Sentence(_random, 25), [Word(_random), Word(_random), Word(_random)], null, DateTimeOffset.UnixEpoch);

    public SegmentDocument Segment(Guid videoId, int index) => new(videoId, index, index * 10.0, index * 10.0 + 10,
        Transcript: Sentence(_random, 30 + _random.Next(30)),
        OcrText: _random.Next(3) == 0 ? Sentence(_random, 1 + _random.Next(5)) : null,
        Caption: Sentence(_random, 12),
        Keywords: [],
        TextEmbedding: Vector(_random),
        ImageEmbedding: _imageDimensions > 0 ? Vector(_imageRandom, _imageDimensions) : null);

    /// <summary>One to three words, as people type into a search box.</summary>
    public string Query(Random random) => Sentence(random, 1 + random.Next(3));

    public float[] Vector(Random random) => Vector(random, _dimensions);

    public float[] Vector(Random random, int dimensions)
    {
        var vector = new float[dimensions];
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = (float)(random.NextDouble() * 2 - 1);
        }
        return VectorIndex.Normalize(vector)!;
    }

    private string Sentence(Random random, int words) => string.Join(' ', Enumerable.Range(0, words).Select(_ => Word(random)));

    private string Word(Random random)
    {
        var rank = Array.BinarySearch(_cumulative, random.NextDouble());
        return _words[rank < 0 ? Math.Min(~rank, _words.Length - 1) : rank];
    }
}
