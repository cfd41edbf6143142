using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Util;

namespace Veeky.Search;

/// <summary>
/// How text becomes index terms, the same for documents, queries and snippet highlighting: words split at Unicode word
/// boundaries (UAX #29), English possessives dropped, lower-cased, accents folded to ASCII, Porter stemmed (so "running"
/// finds "runs"). English by default because transcripts, captions and OCR come from English models; no stop words,
/// because BM25's IDF already makes "the" weigh almost nothing and people do search for short common words ("the who").
/// </summary>
public static class TextAnalysis
{
    internal const LuceneVersion Version = LuceneVersion.LUCENE_48;

    /// <summary>
    /// The weighted fields of a moment, in API.md order, and how many times each token counts in the one scored field.
    /// The weights are those of ARCHITECTURE.md "Search" (title 4, keywords 3, description 1.5, transcript, OCR and
    /// caption 1) doubled so all are whole: a token repeated at the same position is the one way Lucene 4.8 lets a field
    /// weigh inside a single BM25 field. Title and keywords are short, chosen by people and say what the whole video is
    /// about; the description is written by people too but longer; transcript, OCR and caption are machine output with
    /// recognition errors and incidental words.
    /// </summary>
    public static readonly IReadOnlyList<(string Field, int Repeats)> Weights =
    [
        (SearchFields.Title, 8), (SearchFields.Description, 3), (SearchFields.Keywords, 6),
        (SearchFields.Transcript, 2), (SearchFields.Ocr, 2), (SearchFields.Caption, 2),
    ];

    /// <summary>
    /// BM25's k1 for the doubled term frequencies: saturation at 2 × 1.2 on doubled counts is saturation at 1.2 on real
    /// ones (the score is then the classic one times a constant, which ranks alike). b stays 0.75.
    /// </summary>
    public const float K1 = 2.4f;

    public const float B = 0.75f;

    /// <summary>Terms kept from one query: past a few dozen words a pasted paragraph adds nothing to the ranking but cost.</summary>
    public const int MaxQueryTerms = 32;

    /// <summary>A fresh token stream over <paramref name="text"/>: a new chain every call, since several are consumed
    /// side by side when one document's fields are indexed (an Analyzer would reuse one chain per thread).</summary>
    public static TokenStream Tokens(string text, bool stem = true, int repeats = 1)
    {
        var tokenizer = new StandardTokenizer(Version, new StringReader(text)) { MaxTokenLength = 255 };
        TokenStream stream = new EnglishPossessiveFilter(Version, tokenizer);
        stream = new LowerCaseFilter(Version, stream);
        stream = new ASCIIFoldingFilter(stream);
        if (stem)
        {
            stream = new PorterStemFilter(stream);
        }
        return repeats > 1 ? new RepeatFilter(stream, repeats) : stream;
    }

    /// <summary>
    /// The analysis chain for indexing, reused per thread (an Analyzer keeps one chain per thread and resets it on each
    /// text): building a StandardTokenizer allocates its scanner's buffers, which per field of every moment cost more
    /// than the words themselves.
    /// </summary>
    private static readonly Analyzer Indexing = Analyzer.NewAnonymous((_, reader) =>
    {
        var tokenizer = new StandardTokenizer(Version, reader) { MaxTokenLength = 255 };
        TokenStream stream = new EnglishPossessiveFilter(Version, tokenizer);
        stream = new LowerCaseFilter(Version, stream);
        stream = new ASCIIFoldingFilter(stream);
        return new TokenStreamComponents(tokenizer, new PorterStemFilter(stream));
    });

    /// <summary>Every term of <paramref name="text"/> in order, repeats included, as <see cref="Tokens"/> would give them.</summary>
    internal static string[] AnalyzedTerms(string text)
    {
        var terms = new List<string>();
        using var stream = Indexing.GetTokenStream(SearchFields.Transcript, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            terms.Add(term.ToString());
        }
        stream.End();
        return [.. terms];
    }

    /// <summary>The distinct terms of <paramref name="text"/> as the index holds them, at most <see cref="MaxQueryTerms"/>.</summary>
    public static IReadOnlyList<string> Terms(string? text, bool stem = true)
    {
        var terms = new List<string>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return terms;
        }
        using var stream = Tokens(SnippetMarkup.Clean(text), stem);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken() && terms.Count < MaxQueryTerms)
        {
            var value = term.ToString();
            if (!terms.Contains(value))
            {
                terms.Add(value);
            }
        }
        stream.End();
        return terms;
    }

    /// <summary>
    /// Marks every word of <paramref name="text"/> whose term is in <paramref name="terms"/> (or, unstemmed, starts with
    /// <paramref name="prefix"/>) with <see cref="SnippetMarkup.Open"/>/<see cref="SnippetMarkup.Close"/>, and keeps a
    /// window of about <paramref name="window"/> words around the most matches (centred on them), with "…" where text was cut. Null when
    /// nothing matches.
    /// </summary>
    public static string? Highlight(string text, IReadOnlySet<string> terms, string? prefix, int window)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        var tokens = new List<(int Start, int End, bool Match)>();
        using (var stemmed = Tokens(text))
        using (var plain = Tokens(text, stem: false))
        {
            // Two chains over the same text give the same tokens in the same order: one says the term, the other the
            // word as typed (for a prefix still being typed, which must not be stemmed).
            var term = stemmed.AddAttribute<ICharTermAttribute>();
            var offsets = stemmed.AddAttribute<IOffsetAttribute>();
            var word = plain.AddAttribute<ICharTermAttribute>();
            stemmed.Reset();
            plain.Reset();
            while (stemmed.IncrementToken() && plain.IncrementToken())
            {
                var match = terms.Contains(term.ToString())
                    || prefix is not null && word.ToString().StartsWith(prefix, StringComparison.Ordinal);
                tokens.Add((offsets.StartOffset, offsets.EndOffset, match));
            }
            stemmed.End();
            plain.End();
        }
        if (!tokens.Any(t => t.Match))
        {
            return null;
        }
        // The window holding the most matches, earliest first: where the moment talks about the query.
        var first = 0;
        if (tokens.Count > window)
        {
            var best = -1;
            for (var start = 0; start + window <= tokens.Count; start++)
            {
                var count = 0;
                for (var i = start; i < start + window; i++)
                {
                    count += tokens[i].Match ? 1 : 0;
                }
                if (count > best)
                {
                    (best, first) = (count, start);
                }
            }
            // Centred on its matches, so words said before the hit show as well as those after it.
            var firstMatch = tokens.FindIndex(first, window, t => t.Match);
            var lastMatch = tokens.FindLastIndex(first + window - 1, window, t => t.Match);
            first = Math.Clamp(firstMatch - (window - (lastMatch - firstMatch + 1)) / 2, 0, tokens.Count - window);
        }
        var last = Math.Min(tokens.Count, first + window) - 1;
        var from = first == 0 ? 0 : tokens[first].Start;
        var to = last == tokens.Count - 1 ? text.Length : tokens[last].End;
        var marked = new System.Text.StringBuilder(to - from + 16);
        if (from > 0)
        {
            marked.Append('…');
        }
        var at = from;
        for (var i = first; i <= last; i++)
        {
            var (start, end, match) = tokens[i];
            if (!match)
            {
                continue;
            }
            marked.Append(text, at, start - at).Append(SnippetMarkup.Open).Append(text, start, end - start).Append(SnippetMarkup.Close);
            at = end;
        }
        marked.Append(text, at, to - at);
        if (to < text.Length)
        {
            marked.Append('…');
        }
        return marked.ToString();
    }

    /// <summary>
    /// The one scored field of a moment as a token stream: each term emitted as many times as its weighted count (the
    /// sum over its occurrences of their field's weight), so term frequencies and the field's length are exactly those
    /// of analysing every field with <see cref="Tokens"/> and repeats. The order of tokens is lost, which BM25 over
    /// frequencies without positions never reads.
    /// </summary>
    internal sealed class CountedTerms : TokenStream
    {
        private readonly KeyValuePair<string, int>[] _terms;
        private readonly ICharTermAttribute _term;
        private readonly IPositionIncrementAttribute _position;
        private int _next;
        private int _left;

        public CountedTerms(IEnumerable<KeyValuePair<string, int>> counts)
        {
            _terms = [.. counts];
            _term = AddAttribute<ICharTermAttribute>();
            _position = AddAttribute<IPositionIncrementAttribute>();
        }

        /// <summary>Whether the moment has no words at all.</summary>
        public bool IsEmpty => _terms.Length == 0;

        public override bool IncrementToken()
        {
            if (_left > 0)
            {
                // The same term again, at the same position: the indexer counts it once more.
                _position.PositionIncrement = 0;
                _left--;
                return true;
            }
            if (_next == _terms.Length)
            {
                return false;
            }
            ClearAttributes();
            var (term, count) = _terms[_next++];
            _term.SetEmpty().Append(term);
            _left = count - 1;
            return true;
        }

        public override void Reset()
        {
            base.Reset();
            _next = 0;
            _left = 0;
        }
    }

    /// <summary>Emits every token <c>repeats</c> times at the same position, so its term frequency counts that many times.</summary>
    private sealed class RepeatFilter : TokenFilter
    {
        private readonly int _repeats;
        private readonly IPositionIncrementAttribute _position;
        private State? _state;
        private int _left;

        public RepeatFilter(TokenStream input, int repeats) : base(input)
        {
            _repeats = repeats;
            _position = AddAttribute<IPositionIncrementAttribute>();
        }

        public override bool IncrementToken()
        {
            if (_left > 0)
            {
                RestoreState(_state);
                _position.PositionIncrement = 0;
                _left--;
                return true;
            }
            if (!m_input.IncrementToken())
            {
                return false;
            }
            _state = CaptureState();
            _left = _repeats - 1;
            return true;
        }

        public override void Reset()
        {
            base.Reset();
            _state = null;
            _left = 0;
        }
    }
}
