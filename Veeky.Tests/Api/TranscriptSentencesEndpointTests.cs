using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Veeky.Speech;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Api;

/// <summary><c>GET /api/videos/{id}/sentences</c>: the transcript as sentences, for the video page's transcript.</summary>
[Collection(ApiCollection.Name)]
public sealed class TranscriptSentencesEndpointTests(ApiFixture api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_stored_timed_words_come_back_as_sentences_across_scene_cuts()
    {
        // Seeded segments cut at 5 s; the second sentence runs across that cut and is one sentence all the same.
        var video = await api.SeedVideoAsync(api.Visible, api.Editor.Id, segments: 2);
        await SetTranscriptAsync(video.Id,
            [new("Hello", 0.5, 0.9), new("everyone.", 1.0, 1.6), new("Sales", 3.8, 4.2), new("rose", 4.3, 4.6), new("again.", 5.2, 5.9)]);

        var sentences = (await api.Reader.Client.GetFromJsonAsync<JsonElement[]>($"/api/videos/{video.Id}/sentences", Ct))!;

        Assert.Equal(["Hello everyone.", "Sales rose again."], sentences.Select(s => s.GetProperty("text").GetString()));
        Assert.Equal([0.5, 3.8], sentences.Select(s => s.GetProperty("start").GetDouble()));
        Assert.Equal([1.6, 5.9], sentences.Select(s => s.GetProperty("end").GetDouble()));
    }

    [Fact]
    public async Task Before_speech_is_transcribed_there_are_none_and_a_hidden_video_is_404()
    {
        var untranscribed = await api.SeedVideoAsync(api.Visible, api.Editor.Id);
        var hidden = await api.SeedVideoAsync(api.Hidden, api.Admin.Id);

        Assert.Empty((await api.Reader.Client.GetFromJsonAsync<JsonElement[]>($"/api/videos/{untranscribed.Id}/sentences", Ct))!);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Reader.Client.GetAsync($"/api/videos/{hidden.Id}/sentences", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Anonymous().GetAsync($"/api/videos/{untranscribed.Id}/sentences", Ct)).StatusCode);
    }

    private async Task SetTranscriptAsync(Guid videoId, IReadOnlyList<TranscriptWord> words)
    {
        await using var db = api.Factory.CreateDbContext();
        await db.Videos.Where(v => v.Id == videoId).ExecuteUpdateAsync(set => set.SetProperty(v => v.TranscriptJson, TranscriptJson.Serialize(words)), Ct);
    }
}
