using Veeky.Search;

/// <summary>
/// Generates English-like text from a fixed vocabulary of made-up words, drawn with a Zipf distribution (a few words are
/// very common, most are rare, as in speech), and vectors with neighbourhoods: each segment lies near one of a few
/// thousand topic centroids, as real embeddings do. Everything comes from seeded generators.
/// </summary>
/// <remarks>
/// Zipf with exponent 1 over 5,000 words gives the most common word about 11% of all word draws, so with 50 to 100 words
/// per segment the top words occur in more than 10% of the moments (most of them, in fact), as "the" and "and" would if
/// stop words were indexed. Uniform random vectors would make every neighbour equally far and recall meaningless.
/// </remarks>
internal sealed class SyntheticCorpus
{
    private static readonly string[] Onsets = ["b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "st", "tr", "pl", "ch", "sh"];
    private static readonly string[] Vowels = ["a", "e", "i", "o", "u", "ai", "ea", "ou"];
    private static readonly string[] Codas = ["", "n", "r", "s", "t", "nd", "ng", "ck", "ll", "st"];

    /// <summary>Distinct words: a speaking vocabulary of this size gives a realistic spread of document frequencies.</summary>
    private const int VocabularySize = 5000;

    /// <summary>Topics the vectors cluster around: about 400 moments per topic at 1.2 million.</summary>
    private const int Centroids = 3000;

    /// <summary>
    /// Spread of a segment around its topic, per dimension. With 384 dimensions the noise has about 0.8 of the
    /// centroid's length, so moments of one topic have cosine about 0.6 with each other and about 0 with other topics.
    /// </summary>
    private const double Spread = 0.04;

    private readonly Random _random;
    /// <summary>Vectors and keyframe vectors come from their own generators, so they leave the text corpus as it was.</summary>
    private readonly Random _vectorRandom;
    private readonly Random _imageRandom;
    private readonly int _dimensions;
    private readonly int _imageDimensions;
    private readonly string[] _words;
    private readonly double[] _cumulative;
    private readonly float[][] _centroids;

    public SyntheticCorpus(int seed, int dimensions, int imageDimensions = 0)
    {
        _random = new Random(seed);
        _vectorRandom = new Random(seed + 2);
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
        var centroidRandom = new Random(seed + 3);
        _centroids = Enumerable.Range(0, Centroids).Select(_ => Uniform(centroidRandom, dimensions)).ToArray();
    }

    public VideoDocument Video(Guid id, Guid category) => new(id, category, Sentence(_random, 4),
        Sentence(_random, 25), [Word(_random), Word(_random), Word(_random)], null, DateTimeOffset.UnixEpoch);

    public SegmentDocument Segment(Guid videoId, int index) => new(videoId, index, index * 10.0, index * 10.0 + 10,
        Transcript: Sentence(_random, 30 + _random.Next(30)),
        OcrText: _random.Next(3) == 0 ? Sentence(_random, 1 + _random.Next(5)) : null,
        Caption: Sentence(_random, 12),
        Keywords: [],
        TextEmbedding: Clustered(_vectorRandom),
        ImageEmbedding: _imageDimensions > 0 ? Uniform(_imageRandom, _imageDimensions) : null);

    /// <summary>The next segment's text vector alone (the vector-scan-only run, which indexes no text).</summary>
    public float[] TextVector() => Clustered(_vectorRandom);

    /// <summary>One word among the 20 most frequent: each is in a large share of all moments.</summary>
    public string CommonWord(Random random) => _words[random.Next(20)];

    /// <summary>One word of frequency rank 1,000 to 5,000: a few hundredths of a percent of the moments.</summary>
    public string RareWord(Random random) => _words[1000 + random.Next(_words.Length - 1000)];

    /// <summary>Two or three words drawn as speech draws them, as people type into a search box.</summary>
    public string MultiWord(Random random) => Sentence(random, 2 + random.Next(2));

    /// <summary>A query vector near an indexed one: the moment someone is looking for, asked in other words.</summary>
    public static float[] Near(Random random, float[] item, double spread = Spread / 2)
    {
        var vector = new float[item.Length];
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = (float)(item[i] + (random.NextDouble() * 2 - 1) * spread * Math.Sqrt(3));
        }
        return VectorIndex.Normalize(vector)!;
    }

    public static float[] Uniform(Random random, int dimensions)
    {
        var vector = new float[dimensions];
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = (float)(random.NextDouble() * 2 - 1);
        }
        return VectorIndex.Normalize(vector)!;
    }

    /// <summary>A topic centroid plus noise of standard deviation <see cref="Spread"/> per dimension (uniform noise:
    /// cheaper than Gaussian, and for the sum over 384 dimensions just as good).</summary>
    private float[] Clustered(Random random)
    {
        var centroid = _centroids[random.Next(_centroids.Length)];
        return Near(random, centroid, Spread);
    }

    private string Sentence(Random random, int words) => string.Join(' ', Enumerable.Range(0, words).Select(_ => Word(random)));

    private string Word(Random random)
    {
        var rank = Array.BinarySearch(_cumulative, random.NextDouble());
        return _words[rank < 0 ? Math.Min(~rank, _words.Length - 1) : rank];
    }
}
