using Veeky.Indexer.Media;
using Veeky.Indexer.Speech;
using Veeky.Indexer.Text;

namespace Veeky.Tests.Pipeline;

/// <summary>Reading what ffmpeg, pocketsphinx and tesseract print, on captured output.</summary>
public sealed class ToolOutputParsingTests
{
    [Fact]
    public void Scene_cuts_are_read_from_ffmpeg_metadata_output()
    {
        var cuts = SceneDetector.ParseCuts(
        [
            "frame:0    pts:40960   pts_time:3.2",
            "lavfi.scene_score=0.957391",
            "frame:1    pts:104960  pts_time:8.2",
            "lavfi.scene_score=0.659535",
        ]);

        Assert.Equal([3.2, 8.2], cuts);
    }

    [Fact]
    public void Pocketsphinx_word_lines_become_words_without_fillers_or_pronunciation_markers()
    {
        string[] lines =
        [
            "the purple elephant and says on the riverbank",
            "<s> 3.790 4.040 0.999800",
            "purple 4.170 4.700 0.999500",
            "and(2) 5.240 5.450 0.986490",
            "<sil> 5.840 5.910 0.676620",
            "[NOISE] 6.000 6.100 0.5",
            "</s> 7.010 7.460 1.000000",
        ];

        var words = lines.Select(l => PocketSphinxTranscriber.TryParseWord(l, 100, out var w) ? w : null).OfType<Veeky.Speech.TranscriptWord>().ToList();

        Assert.Equal(["purple", "and"], words.Select(w => w.Text));
        Assert.Equal(104.17, words[0].Start, 3);
        Assert.Equal(105.45, words[1].End, 3);
    }

    [Fact]
    public void Tesseract_words_below_the_confidence_floor_or_without_letters_are_dropped()
    {
        const string tsv = """
            level	page_num	block_num	par_num	line_num	word_num	left	top	width	height	conf	text
            1	1	0	0	0	0	0	0	1280	720	-1	
            5	1	1	1	1	1	10	10	100	40	96.0	GIRAFFE
            5	1	1	1	1	2	120	10	100	40	91.5	SPOTTED
            5	1	2	1	1	1	10	300	20	20	82.6	&
            5	1	3	1	1	1	10	400	20	20	38.8	mi
            5	1	4	1	1	1	10	500	100	40	88.0	Quarterly
            """;

        Assert.Equal("GIRAFFE SPOTTED\nQuarterly", TesseractOcr.ParseTsv(tsv, minConfidence: 60, minAlphanumerics: 2));
    }

    [Fact]
    public void Ffmpeg_progress_lines_give_the_position_in_seconds()
    {
        Assert.True(FfmpegProgress.TryParsePosition("out_time_us=12480000", out var seconds));
        Assert.Equal(12.48, seconds, 3);
        Assert.False(FfmpegProgress.TryParsePosition("out_time_us=N/A", out _));
        Assert.False(FfmpegProgress.TryParsePosition("frame=12", out _));
    }
}
