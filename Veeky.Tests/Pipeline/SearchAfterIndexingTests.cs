using Microsoft.Extensions.DependencyInjection;
using Veeky.Identity;
using Veeky.Search;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Pipeline;

/// <summary>The whole way from a generated video to a found moment: what was said and what was shown are searchable,
/// and the best hit is the segment that holds them, starting at its cut.</summary>
[Collection(IndexedSampleCollection.Name)]
public sealed class SearchAfterIndexingTests(IndexedSampleFixture sample)
{
    private static readonly SampleVideoSpec Spec = SampleVideos.Scenes;

    [Theory]
    [InlineData("elephant", 1, SearchFields.Transcript)] // spoken in the second scene
    [InlineData("trumpets", 3, SearchFields.Transcript)] // spoken in the fourth scene
    [InlineData("giraffe", 1, SearchFields.Ocr)] // drawn on the busy test pattern of the second scene
    [InlineData("quarterly", 2, SearchFields.Ocr)] // drawn on the third scene
    public async Task A_word_said_or_shown_finds_its_segment_first_at_the_right_start(string word, int segment, string field)
    {
        Requires.Tools([.. SampleVideoGenerator.Tools, "tesseract", "pocketsphinx_continuous"]);
        var video = await sample.GetVideoAsync();
        var search = sample.Host.Services.GetRequiredService<ISearchIndex>();

        var result = await search.SearchAsync(new SearchRequest(word, AccessScope.System, SearchMode.Text),
            TestContext.Current.CancellationToken);

        var best = Assert.IsType<SearchHit>(result.Hits.FirstOrDefault(), exactMatch: false);
        Assert.Equal(video.Id, best.VideoId);
        Assert.Equal(segment, best.SegmentIndex);
        var expectedStart = segment == 0 ? 0 : Spec.Cuts[segment - 1];
        Assert.InRange(best.Start, expectedStart - Spec.FrameInterval - 0.1, expectedStart + Spec.FrameInterval + 0.1);
        Assert.Contains(field, best.MatchedFields);
        Assert.Contains("<mark>", best.Snippet);
    }

    [Fact]
    public async Task A_user_without_the_category_finds_nothing_of_the_indexed_video()
    {
        Requires.Tools([.. SampleVideoGenerator.Tools, "tesseract", "pocketsphinx_continuous"]);
        await sample.GetVideoAsync();
        var search = sample.Host.Services.GetRequiredService<ISearchIndex>();
        var outsider = new AccessScope(Guid.NewGuid(), Roles.User, new HashSet<Guid> { Guid.NewGuid() });

        var result = await search.SearchAsync(new SearchRequest("elephant", outsider, SearchMode.Text),
            TestContext.Current.CancellationToken);

        Assert.Empty(result.Hits);
        Assert.Equal(0, result.Total);
    }
}
