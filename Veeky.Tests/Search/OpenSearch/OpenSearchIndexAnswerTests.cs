using System.Text.Json.Nodes;
using Veeky.Search;
using Veeky.Search.OpenSearch;
using Veeky.Tests.Infrastructure;
using static Veeky.Tests.Search.SearchCorpus;

namespace Veeky.Tests.Search.OpenSearch;

/// <summary>
/// How the OpenSearch adapter reads what the node answers: hits with highlights, a bulk with a refused item, 429 and 5xx
/// to retry, a missing index, version conflicts in a by-query operation, cluster health.
/// </summary>
public sealed class OpenSearchIndexAnswerTests : IAsyncLifetime
{
    private FakeOpenSearchServer _server = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _server = await FakeOpenSearchServer.StartAsync();

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task<OpenSearchIndex> InitializedAsync(Action<OpenSearchOptions>? configure = null)
    {
        var index = OpenSearchTestIndex.Create(_server.Url, configure: configure);
        await index.InitializeAsync(Ct);
        _server.ClearRequests();
        return index;
    }

    private static bool IsSearch(RecordedRequest r) => r.Is("POST", "/veeky-segments/_search");

    [Fact]
    public async Task Hits_are_read_with_escaped_marked_snippets_api_field_names_and_the_segment_text_for_meaning_only_hits()
    {
        var index = await InitializedAsync(o => o.TextDimensions = 3);
        _server.Answer(IsSearch, 200, $$$"""
            {"took":3,"timed_out":false,"hits":{"total":{"value":7,"relation":"eq"},"max_score":0.9,"hits":[
              {"_index":"veeky-segments","_id":"{{{BreadVideo}}}:5:1","_score":0.9,
               "_source":{"videoId":"{{{BreadVideo}}}","categoryId":"{{{Cooking}}}","segmentIndex":1,"start":20.0,"end":35.5,"generation":5,
                 "title":"Baking sourdough bread","transcript":"<script>alert('x')</script> Tap the crust & listen"},
               "highlight":{"segmentKeywords":["\u0001crust\u0002"],"transcript":["<script>alert('x')</script> Tap the \u0001crust\u0002 & listen"],
                 "title":["Baking \u0001crust\u0002"]}},
              {"_index":"veeky-segments","_id":"{{{ClinicVideo}}}:9:0","_score":0.4,
               "_source":{"videoId":"{{{ClinicVideo}}}","categoryId":"{{{Medicine}}}","segmentIndex":0,"start":0,"end":15,"generation":9,
                 "title":"A day at the clinic","transcript":"The physician <b>examined</b>","ocr":"ROOM 4"}}
            ]}}
            """);

        var result = await index.SearchAsync(new SearchRequest("crust", Admin, SearchMode.Hybrid, QueryEmbedding: [1f, 0f, 0f]), Ct);

        Assert.Equal((SearchMode.Hybrid, 7), (result.Mode, result.Total));
        var words = result.Hits[0];
        Assert.Equal((BreadVideo, Cooking, 1, 20.0, 35.5, 0.9, "Baking sourdough bread"),
            (words.VideoId, words.CategoryId, words.SegmentIndex, words.Start, words.End, words.Score, words.VideoTitle));
        Assert.Equal("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Tap the <mark>crust</mark> &amp; listen", words.Snippet);
        Assert.Equal([SearchFields.Title, SearchFields.Keywords, SearchFields.Transcript], words.MatchedFields);
        var meaning = result.Hits[1];
        Assert.Equal("The physician &lt;b&gt;examined&lt;/b&gt; ROOM 4", meaning.Snippet);
        Assert.Empty(meaning.MatchedFields);
    }

    [Fact]
    public async Task A_video_row_is_its_videos_earliest_moment_with_the_collapsed_best_score_and_the_total_counts_videos()
    {
        var index = await InitializedAsync();
        _server.Answer(IsSearch, 200, $$$"""
            {"took":2,"timed_out":false,"hits":{"total":{"value":3,"relation":"eq"},"max_score":2.5,"hits":[
              {"_index":"veeky-segments","_id":"{{{KnifeVideo}}}:4:2","_score":2.5,"fields":{"videoId":["{{{KnifeVideo}}}"]},
               "inner_hits":{"earliest":{"hits":{"total":{"value":3,"relation":"eq"},"max_score":null,"hits":[
                 {"_index":"veeky-segments","_id":"{{{KnifeVideo}}}:4:0","_score":null,
                  "_source":{"videoId":"{{{KnifeVideo}}}","categoryId":"{{{Cooking}}}","segmentIndex":0,"start":0,"end":12,"generation":4,
                    "title":"Knife skills for beginners","transcript":"Welcome to the kitchen."},
                  "highlight":{"title":["\u0001Knife\u0002 skills for beginners"]},"sort":[0]}]} } } }
            ]},"aggregations":{"videos":{"value":7} } }
            """);

        var result = await index.SearchAsync(new SearchRequest("knife", Admin, SearchMode.Text, Matches: TextMatches.VideoRows), Ct);

        Assert.Equal(7, result.Total);
        var row = Assert.Single(result.Hits);
        Assert.Equal((KnifeVideo, 0, 0.0, 2.5), (row.VideoId, row.SegmentIndex, row.Start, row.Score));
        Assert.Equal([SearchFields.Title], row.MatchedFields);
        Assert.Equal("<mark>Knife</mark> skills for beginners", row.Snippet);
    }

    [Fact]
    public async Task A_page_holding_two_generations_of_a_video_shows_only_the_newer()
    {
        var index = await InitializedAsync();
        static string Hit(int generation, int segment) => $$$"""
            {"_id":"{{{TripVideo}}}:{{{generation}}}:{{{segment}}}","_score":1.0,"_source":{"videoId":"{{{TripVideo}}}","categoryId":"{{{Travel}}}",
             "segmentIndex":{{{segment}}},"start":0,"end":1,"generation":{{{generation}}},"title":"Trip","transcript":"gen {{{generation}}}"}}
            """;
        _server.Answer(IsSearch, 200, $$$"""
            {"hits":{"total":{"value":4,"relation":"eq"},"hits":[{{{Hit(1, 0)}}},{{{Hit(2, 0)}}},{{{Hit(1, 1)}}},{{{Hit(2, 1)}}}]}}
            """);

        var result = await index.SearchAsync(new SearchRequest("gen", Admin), Ct);

        Assert.Equal(2, result.Total);
        Assert.All(result.Hits, h => Assert.Equal("gen 2", h.Snippet));
    }

    [Fact]
    public async Task A_bulk_with_one_refused_item_throws_its_reason_and_keeps_the_older_generation()
    {
        var index = await InitializedAsync();
        _server.Answer(r => r.Is("POST", "/_bulk"), 200, $$$$"""
            {"took":5,"errors":true,"items":[
              {"index":{"_index":"veeky-segments","_id":"{{{{KnifeVideo}}}}:1:0","status":201,"result":"created"}},
              {"index":{"_index":"veeky-segments","_id":"{{{{KnifeVideo}}}}:1:1","status":400,
                "error":{"type":"mapper_parsing_exception","reason":"failed to parse field [start] of type [double]"}}},
              {"index":{"_index":"veeky-segments","_id":"{{{{KnifeVideo}}}}:1:2","status":201,"result":"created"}}]}
            """);

        var error = await Assert.ThrowsAsync<OpenSearchException>(() => index.ReplaceVideoAsync(Knife, KnifeSegments, Ct));

        Assert.Contains("1 of 3", error.Message);
        Assert.Contains("mapper_parsing_exception: failed to parse field [start] of type [double]", error.Message);
        var deletes = _server.Requests.Where(r => r.PathAndQuery.Contains("_delete_by_query")).ToList();
        Assert.DoesNotContain(deletes, d => d.Body.Contains("\"lt\""));
        var generation = (long)_server.Requests.Single(r => r.Is("POST", "/_bulk")).Lines[1]["generation"]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$$"""{"term":{"generation":{{{generation}}}}}"""), Assert.Single(deletes).Json["query"]!["bool"]!["filter"]![1]));
        Assert.DoesNotContain(_server.Requests, r => r.Is("PUT", "/veeky-videos/_doc/"));
    }

    [Fact]
    public async Task A_bulk_that_keeps_failing_leaves_the_older_generation_and_removes_what_got_in()
    {
        var index = await InitializedAsync(o => o.MaxRetries = 1);
        _server.Answer(r => r.Is("POST", "/_bulk"), 503, """{"error":{"type":"cluster_block_exception","reason":"index read-only"},"status":503}""", times: 2);

        var error = await Assert.ThrowsAsync<OpenSearchException>(() => index.ReplaceVideoAsync(Trip, TripSegments, Ct));

        Assert.Equal("cluster_block_exception", error.ErrorType);
        var delete = Assert.Single(_server.Requests, r => r.PathAndQuery.Contains("_delete_by_query"));
        Assert.Contains("\"term\":{\"generation\"", delete.Body);
        Assert.DoesNotContain(_server.Requests, r => r.Is("PUT", "/veeky-videos/_doc/"));
    }

    [Fact]
    public async Task Bulk_items_rejected_with_429_are_sent_again_alone()
    {
        var index = await InitializedAsync();
        _server.Answer(r => r.Is("POST", "/_bulk"), 200, $$$$"""
            {"took":5,"errors":true,"items":[
              {"index":{"_id":"{{{{TripVideo}}}}:1:0","status":429,"error":{"type":"es_rejected_execution_exception","reason":"rejected execution"}}}]}
            """);

        await index.ReplaceVideoAsync(Trip, TripSegments, Ct);

        var bulks = _server.Requests.Where(r => r.Is("POST", "/_bulk")).ToList();
        Assert.Equal(2, bulks.Count);
        Assert.Equal(bulks[0].Body, bulks[1].Body);
        Assert.Contains(_server.Requests, r => r.Is("POST", "/veeky-segments/_delete_by_query"));
    }

    [Fact]
    public async Task A_429_is_retried_after_the_wait_the_server_asks_for()
    {
        var index = await InitializedAsync();
        _server.Answer(IsSearch, 429, """{"error":{"type":"too_many_requests","reason":"slow down"},"status":429}""",
            headers: new Dictionary<string, string> { ["Retry-After"] = "0" });

        var result = await index.SearchAsync(new SearchRequest("onion", Admin), Ct);

        Assert.Equal(0, result.Total);
        Assert.Equal(2, _server.Requests.Count(IsSearch));
    }

    [Fact]
    public async Task Server_errors_are_retried_a_few_times_then_reported()
    {
        var index = await InitializedAsync(o => o.MaxRetries = 2);
        _server.Answer(r => r.Is("PUT", "/veeky-videos/_doc/"), 503, """{"error":{"type":"unavailable_shards_exception","reason":"primary shard is not active"},"status":503}""", times: 2);
        _server.Answer(IsSearch, 503, """{"error":{"type":"unavailable_shards_exception","reason":"primary shard is not active"},"status":503}""", times: 3);

        await index.ReplaceVideoAsync(Trip, TripSegments, Ct);
        var error = await Assert.ThrowsAsync<OpenSearchException>(() => index.SearchAsync(new SearchRequest("waves", Admin), Ct));

        Assert.Equal(3, _server.Requests.Count(r => r.Is("PUT", "/veeky-videos/_doc/")));
        Assert.Equal(3, _server.Requests.Count(IsSearch));
        Assert.Equal((503, "unavailable_shards_exception"), (error.Status, error.ErrorType));
        Assert.Contains("primary shard is not active", error.Message);
    }

    [Fact]
    public async Task A_client_error_is_reported_at_once_with_its_reason()
    {
        var index = await InitializedAsync();
        _server.Answer(IsSearch, 400, """{"error":{"type":"search_phase_execution_exception","reason":"all shards failed"},"status":400}""");

        var error = await Assert.ThrowsAsync<OpenSearchException>(() => index.SearchAsync(new SearchRequest("onion", Admin), Ct));

        Assert.Contains("all shards failed", error.Message);
        Assert.Single(_server.Requests, IsSearch);
    }

    [Fact]
    public async Task A_search_of_an_index_that_does_not_exist_answers_no_hits()
    {
        var index = OpenSearchTestIndex.Create(_server.Url);
        _server.Answer(IsSearch, 404, """
            {"error":{"root_cause":[{"type":"index_not_found_exception","reason":"no such index [veeky-segments]"}],
             "type":"index_not_found_exception","reason":"no such index [veeky-segments]","index":"veeky-segments"},"status":404}
            """);

        var result = await index.SearchAsync(new SearchRequest("onion", Admin), Ct);

        Assert.Equal((SearchMode.Text, 0), (result.Mode, result.Total));
        Assert.Empty(result.Hits);
    }

    [Fact]
    public async Task Version_conflicts_in_delete_by_query_run_it_again_until_none_are_left()
    {
        var index = await InitializedAsync();
        _server.Answer(r => r.Is("POST", "/veeky-segments/_delete_by_query"), 200,
            """{"took":2,"timed_out":false,"total":3,"deleted":1,"batches":1,"version_conflicts":2,"noops":0,"failures":[]}""");

        await index.DeleteVideoAsync(KnifeVideo, Ct);

        var deletes = _server.Requests.Where(r => r.Is("POST", "/veeky-segments/_delete_by_query")).ToList();
        Assert.Equal(2, deletes.Count);
        Assert.All(deletes, d => Assert.Contains("conflicts=proceed", d.PathAndQuery));
    }

    [Fact]
    public async Task Version_conflicts_that_never_clear_are_reported()
    {
        var index = await InitializedAsync(o => o.MaxRetries = 1);
        _server.Answer(r => r.Is("POST", "/veeky-segments/_update_by_query"), 200,
            """{"took":2,"total":3,"updated":0,"version_conflicts":3,"failures":[]}""", times: 5);

        var error = await Assert.ThrowsAsync<OpenSearchException>(() => index.UpdateVideoAsync(Knife, Ct));

        Assert.Contains("version conflicts", error.Message);
        Assert.Equal(2, _server.Requests.Count(r => r.Is("POST", "/veeky-segments/_update_by_query")));
    }

    [Fact]
    public async Task Deleting_a_video_that_was_never_indexed_succeeds()
    {
        var index = await InitializedAsync();
        _server.Answer(r => r.Method == "DELETE", 404, """{"_index":"veeky-videos","_id":"x","result":"not_found"}""");

        await index.DeleteVideoAsync(TripVideo, Ct);

        Assert.Contains(_server.Requests, r => r.Is("POST", "/veeky-segments/_delete_by_query"));
    }

    [Fact]
    public async Task User_info_in_the_url_is_sent_as_basic_authentication_and_not_in_the_request_line()
    {
        var url = new UriBuilder(_server.Url) { UserName = "veeky", Password = "p@ss:word" }.Uri;
        var index = OpenSearchTestIndex.Create(url);

        Assert.True(await index.PingAsync(Ct));

        var health = Assert.Single(_server.Requests);
        Assert.Equal("/_cluster/health", health.PathAndQuery);
        Assert.Equal("Basic " + Convert.ToBase64String("veeky:p@ss:word"u8.ToArray()), health.Authorization);
    }

    [Theory]
    [InlineData("green", true)]
    [InlineData("yellow", true)]
    [InlineData("red", false)]
    public async Task Ping_is_true_unless_the_cluster_is_red(string status, bool healthy)
    {
        var index = OpenSearchTestIndex.Create(_server.Url);
        _server.Answer(r => r.Is("GET", "/_cluster/health"), 200, $$"""{"cluster_name":"c","status":"{{status}}"}""");

        Assert.Equal(healthy, await index.PingAsync(Ct));
    }

    [Fact]
    public async Task Ping_of_a_server_that_is_not_there_is_false()
    {
        var url = _server.Url;
        await _server.DisposeAsync();
        var index = OpenSearchTestIndex.Create(url, configure: o => o.MaxRetries = 0);

        Assert.False(await index.PingAsync(Ct));

        _server = await FakeOpenSearchServer.StartAsync();
    }
}
