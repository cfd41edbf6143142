using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Veeky.Search;
using LuceneDirectory = Lucene.Net.Store.Directory;

/// <summary>
/// Lucene.Net 4.8 as Veeky's text index uses it (<see cref="LuceneTextIndex"/>): every field written into ONE scored
/// field with each token repeated by its field's weight (<see cref="TextAnalysis"/>), so IDF and length are the moment's
/// as FTS5's bm25() with column weights had them; BM25 with k1 for the doubled frequencies; the category as an indexed
/// StringField applied as a filter inside the query. With <c>perField</c> (--lucene-per-field) the first design
/// measured: one field per FTS column with the column weights as boosts (per-field IDF and length).
/// </summary>
internal sealed class LuceneEngine : ITextEngine
{
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;

    private readonly string _folder;
    private readonly LuceneDirectory _directory;
    private readonly Analyzer _analyzer;
    private IndexWriter? _writer;
    private DirectoryReader? _reader;
    private IndexSearcher? _searcher;
    private NumericDocValues? _ids;

    private readonly bool _perField;

    public LuceneEngine(string folder, bool perField = false)
    {
        _perField = perField;
        _folder = folder;
        _directory = new MMapDirectory(new DirectoryInfo(folder));
        _analyzer = Analyzer.NewAnonymous((_, reader) =>
        {
            var tokenizer = new StandardTokenizer(Version, reader);
            TokenStream stream = new LowerCaseFilter(Version, tokenizer);
            stream = new ASCIIFoldingFilter(stream);
            stream = new PorterStemFilter(stream);
            return new TokenStreamComponents(tokenizer, stream);
        });
        _writer = new IndexWriter(_directory, new IndexWriterConfig(Version, _analyzer)
        {
            OpenMode = OpenMode.CREATE,
            Similarity = perField ? new BM25Similarity() : LuceneTextIndex.Similarity,
            RAMBufferSizeMB = 64,
        });
    }

    public string Name => "Lucene.Net";

    public long DiskBytes => System.IO.Directory.GetFiles(_folder).Sum(f => new FileInfo(f).Length);

    public void Add(VideoDocument video, IReadOnlyList<SegmentDocument> segments, long firstId)
    {
        var category = CategoryTerm(video.CategoryId);
        var documents = new List<Document>(segments.Count);
        for (var i = 0; i < segments.Count; i++)
        {
            var text = SegmentText.Of(video, segments[i]);
            var document = new Document
            {
                new NumericDocValuesField("id", firstId + i),
                new StringField("category", category, Field.Store.NO),
            };
            if (_perField)
            {
                for (var f = 0; f < SegmentText.Fields.Length; f++)
                {
                    document.Add(new TextField(SegmentText.Fields[f].Name, text[f], Field.Store.NO));
                }
            }
            else
            {
                var type = new FieldType { IsIndexed = true, IsTokenized = true, IndexOptions = IndexOptions.DOCS_AND_FREQS };
                foreach (var (name, repeats) in TextAnalysis.Weights)
                {
                    var value = text[SegmentText.Fields.Select(f => f.Name).ToList().IndexOf(name)];
                    if (value.Length > 0)
                    {
                        document.Add(new Field("text", TextAnalysis.Tokens(value, repeats: repeats), type));
                    }
                }
            }
            documents.Add(document);
        }
        // A video's segments as one block, as a replace would write them.
        _writer!.AddDocuments(documents);
    }

    public void Finish()
    {
        _writer!.Commit();
        _writer.Dispose();
        _writer = null;
        _reader = DirectoryReader.Open(_directory);
        _searcher = new IndexSearcher(_reader) { Similarity = _perField ? new BM25Similarity() : LuceneTextIndex.Similarity };
        _ids = MultiDocValues.GetNumericValues(_reader, "id");
    }

    public int SegmentCount => _reader?.Leaves.Count ?? 0;

    public IReadOnlyList<long> Search(IReadOnlyList<string> words, IReadOnlyList<Guid>? categories, int limit)
    {
        // Every word must occur in some field; in each field it scores BM25 times the field's weight, summed, as FTS5's
        // bm25() with column weights does.
        var query = new BooleanQuery(disableCoord: true);
        if (!_perField)
        {
            foreach (var term in words.SelectMany(w => TextAnalysis.Terms(w)).Distinct())
            {
                query.Add(new TermQuery(LuceneTextIndex.Term(term)), Occur.MUST);
            }
        }
        foreach (var word in _perField ? words : [])
        {
            foreach (var term in Analyze(word))
            {
                var anyField = new BooleanQuery(disableCoord: true);
                foreach (var (name, weight) in SegmentText.Fields)
                {
                    anyField.Add(new TermQuery(new Term(name, term)) { Boost = weight }, Occur.SHOULD);
                }
                query.Add(anyField, Occur.MUST);
            }
        }
        Query search = query;
        if (categories is not null)
        {
            var allowed = new BooleanQuery(disableCoord: true);
            foreach (var category in categories)
            {
                allowed.Add(new TermQuery(new Term("category", CategoryTerm(category))), Occur.SHOULD);
            }
            search = new FilteredQuery(query, new QueryWrapperFilter(allowed));
        }
        var top = _searcher!.Search(search, limit);
        return top.ScoreDocs.Select(d => _ids!.Get(d.Doc)).ToList();
    }

    public void Dispose()
    {
        _writer?.Dispose();
        _reader?.Dispose();
        _directory.Dispose();
        _analyzer.Dispose();
    }

    private List<string> Analyze(string word)
    {
        var terms = new List<string>(1);
        using var stream = _analyzer.GetTokenStream("transcript", word);
        var attribute = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            terms.Add(attribute.ToString());
        }
        stream.End();
        return terms;
    }

    private static string CategoryTerm(Guid categoryId) => categoryId.ToString("N");
}
