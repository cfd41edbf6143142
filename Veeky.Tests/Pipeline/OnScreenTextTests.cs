using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Veeky.Indexer.Text;
using Veeky.Processes;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Pipeline;

/// <summary>
/// On-screen text as the ReadText stage reads it, on generated keyframes whose words are known
/// (<see cref="OnScreenTextKeyframes"/>): every background, both type sizes, 360p to 1080p. Time per keyframe is
/// measured by <c>scripts/bench-ocr</c>, not here.
/// </summary>
public sealed class OnScreenTextTests
{
    private static readonly TesseractOcr Ocr = new(new ProcessRunner(NullLogger<ProcessRunner>.Instance), Options.Create(new TextReadingOptions()));

    [Fact]
    public async Task At_least_95_percent_of_the_words_on_generated_keyframes_are_read_and_no_fragment_twice()
    {
        Requires.Tools([.. OnScreenTextKeyframes.Tools, "tesseract"]);
        var keyframes = await OnScreenTextKeyframes.AllAsync();

        var score = await ReadAsync(keyframes);

        Assert.True(score.Recall >= 0.95, score.ToString());
        Assert.True(score.Precision >= 0.95, score.ToString());
        Assert.True(score.Duplicates == 0, score.ToString());
    }

    [Theory]
    [InlineData(360)]
    [InlineData(720)]
    [InlineData(1080)]
    public async Task Black_words_on_an_orange_slide_are_all_read(int height)
    {
        Requires.Tools([.. OnScreenTextKeyframes.Tools, "tesseract"]);
        var keyframes = (await OnScreenTextKeyframes.AllAsync()).Where(k => k.Slide.Name == "black on orange" && k.Height == height).ToList();

        var score = await ReadAsync(keyframes);

        Assert.True(score.Found == score.Drawn && score.Duplicates == 0, score.ToString());
    }

    [Fact]
    public void A_word_read_on_both_pages_is_kept_once_and_whole_and_lines_follow_the_picture()
    {
        // Page 1 is the plain picture, page 2 the caption mask of the same size: ZEPPELIN and ROCKET whole on one page,
        // pieces of them (ELIN, KET.) at the same place on the other; HARBOUR only on the mask; GIRAFFE in two pieces on
        // the plain page and whole on the mask.
        const string tsv = """
            level	page_num	block_num	par_num	line_num	word_num	left	top	width	height	conf	text
            5	1	1	1	1	1	189	141	420	66	81.0	ZEPPELIN
            5	1	2	1	1	1	130	452	92	18	96.3	ROCKET
            5	1	3	1	1	1	240	452	100	18	95.0	launch
            5	1	4	1	1	1	321	616	156	88	89.8	GI
            5	1	4	1	1	2	497	616	457	88	91.2	RAFFE
            5	2	1	1	1	1	424	143	186	64	95.2	ELIN
            5	2	1	1	1	2	654	110	438	106	93.1	HARBOUR
            5	2	2	1	1	1	175	450	48	21	91.0	KET.
            5	2	3	1	1	1	240	452	100	18	88.0	launch
            5	2	4	1	1	1	322	613	631	91	86.2	GIRAFFE
            """;

        Assert.Equal("ZEPPELIN HARBOUR\nROCKET launch\nGIRAFFE", TesseractOcr.ParseTsv(tsv, minConfidence: 60, minAlphanumerics: 2));
    }

    private static async Task<OnScreenTextScore> ReadAsync(IReadOnlyList<OnScreenTextKeyframe> keyframes)
    {
        using var work = new TempFolder("veeky-ocr");
        var scores = new OnScreenTextScore[keyframes.Count];
        // Two at a time, as the ReadText stage reads them by default.
        await Parallel.ForAsync(0, keyframes.Count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (i, ct) =>
            scores[i] = OnScreenTextScore.Of(keyframes[i], await Ocr.ReadAsync(keyframes[i].Path, keyframes[i].Height, work.Path, ct)));
        return OnScreenTextScore.Sum(scores);
    }
}
