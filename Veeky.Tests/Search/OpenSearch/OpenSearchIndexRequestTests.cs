using System.Text.Json.Nodes;
using Veeky.Search;
using Veeky.Search.OpenSearch;
using Veeky.Tests.Infrastructure;
using static Veeky.Tests.Search.SearchCorpus;

namespace Veeky.Tests.Search.OpenSearch;

/// <summary>
/// What the OpenSearch adapter sends, request by request, to a recording fake node: the templates and k-NN mappings, the
/// search pipelines, the access filter in every leg of a query, the bulk bodies and the generation swap of a replace.
/// </summary>
public sealed class OpenSearchIndexRequestTests : IAsyncLifetime
{
    private FakeOpenSearchServer _server = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _server = await FakeOpenSearchServer.StartAsync();

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task<OpenSearchIndex> InitializedAsync(Action<OpenSearchOptions>? configure = null, SearchOptions? search = null)
    {
        var index = OpenSearchTestIndex.Create(_server.Url, configure: configure, search: search);
        await index.InitializeAsync(Ct);
        _server.ClearRequests();
        return index;
    }

    [Fact]
    public async Task Initialize_creates_the_templates_with_english_text_keyword_ids_and_knn_enabled()
    {
        var index = OpenSearchTestIndex.Create(_server.Url);

        await index.InitializeAsync(Ct);

        var segments = _server.Requests.Single(r => r.Is("PUT", "/_index_template/veeky-segments-template")).Json;
        Assert.Equal("veeky-segments", (string?)segments["index_patterns"]![0]);
        var settings = segments["template"]!["settings"]!;
        Assert.True((bool)settings["index.knn"]!);
        Assert.Equal("-1", (string?)settings["index.refresh_interval"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"type":"custom","tokenizer":"standard","filter":["veeky_english_possessive","lowercase","asciifolding","veeky_english_stemmer"]}
            """), settings["analysis"]!["analyzer"]!["veeky_english"]));
        Assert.Equal("english", (string?)settings["analysis"]!["filter"]!["veeky_english_stemmer"]!["language"]);
        var properties = segments["template"]!["mappings"]!["properties"]!;
        foreach (var text in new[] { "title", "keywords", "description", "transcript", "ocr", "caption" })
        {
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"type":"text","analyzer":"veeky_english"}"""), properties[text]), text);
        }
        Assert.Equal("keyword", (string?)properties["videoId"]!["type"]);
        Assert.Equal("keyword", (string?)properties["categoryId"]!["type"]);
        Assert.Equal("long", (string?)properties["generation"]!["type"]);
        var videos = _server.Requests.Single(r => r.Is("PUT", "/_index_template/veeky-videos-template")).Json;
        Assert.Equal("veeky-videos", (string?)videos["index_patterns"]![0]);
        Assert.Equal("veeky_english", (string?)videos["template"]!["mappings"]!["properties"]!["summary"]!["analyzer"]);
        Assert.NotNull(videos["template"]!["settings"]!["analysis"]!["analyzer"]!["veeky_english"]);
        Assert.Contains(_server.Requests, r => r.Method == "PUT" && r.PathAndQuery == "/veeky-videos");
        Assert.Contains(_server.Requests, r => r.Method == "PUT" && r.PathAndQuery == "/veeky-segments");
    }

    [Fact]
    public async Task Initialize_is_idempotent_and_only_reads_what_already_exists()
    {
        await OpenSearchTestIndex.Create(_server.Url).InitializeAsync(Ct);
        _server.ClearRequests();

        await OpenSearchTestIndex.Create(_server.Url).InitializeAsync(Ct);

        Assert.DoesNotContain(_server.Requests, r => r.Method == "PUT" && (r.PathAndQuery.StartsWith("/_index_template") || !r.PathAndQuery[1..].Contains('/')));
        Assert.Contains(_server.Requests, r => r.Is("GET", "/_index_template/veeky-segments-template"));
        Assert.Contains(_server.Requests, r => r.Is("HEAD", "/veeky-segments"));
    }

    [Fact]
    public async Task Initialize_tolerates_an_index_another_replica_created_meanwhile()
    {
        _server.Answer(r => r.Is("PUT", "/veeky-segments"), 400,
            """{"error":{"root_cause":[],"type":"resource_already_exists_exception","reason":"index [veeky-segments/abc] already exists"},"status":400}""");

        await OpenSearchTestIndex.Create(_server.Url).InitializeAsync(Ct);

        Assert.Contains(_server.Requests, r => r.Is("PUT", "/veeky-segments"));
    }

    [Fact]
    public async Task Configured_dimensions_map_hnsw_cosine_vectors_on_the_lucene_engine()
    {
        await OpenSearchTestIndex.Create(_server.Url, configure: o => (o.TextDimensions, o.ImageDimensions) = (384, 512)).InitializeAsync(Ct);

        var mappings = _server.Requests.Where(r => r.Is("PUT", "/veeky-segments/_mapping")).Select(r => r.Json).ToList();
        Assert.Equal(2, mappings.Count);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"properties":{"textEmbedding":{"type":"knn_vector","dimension":384,
              "method":{"name":"hnsw","space_type":"cosinesimil","engine":"lucene"}}}}
            """), mappings[0]));
        Assert.Equal(512, (int)mappings[1]["properties"]!["imageEmbedding"]!["dimension"]!);
        Assert.Equal("lucene", (string?)mappings[1]["properties"]!["imageEmbedding"]!["method"]!["engine"]);
    }

    [Fact]
    public async Task Without_configured_dimensions_the_first_vectors_indexed_set_them()
    {
        var index = await InitializedAsync();
        Assert.DoesNotContain(_server.Requests, r => r.PathAndQuery.EndsWith("/_mapping") && r.Method == "PUT");

        await index.ReplaceVideoAsync(Knife, KnifeSegments, Ct);
        await index.ReplaceVideoAsync(Bread, BreadSegments, Ct);

        var mapping = _server.Requests.Single(r => r.Is("PUT", "/veeky-segments/_mapping"));
        Assert.Equal(TestHashingEmbeddingGenerator.Dimensions, (int)mapping.Json["properties"]!["textEmbedding"]!["dimension"]!);
        Assert.True(_server.Requests.ToList().IndexOf(mapping) < _server.Requests.ToList().FindIndex(r => r.Is("POST", "/_bulk")));
    }

    [Fact]
    public async Task Vectors_of_another_dimension_than_mapped_are_refused_with_a_reason()
    {
        var index = await InitializedAsync(o => o.TextDimensions = 384);
        var segment = Segment(TripVideo, 0, 0, 5, transcript: "short") with { TextEmbedding = new float[768] };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => index.ReplaceVideoAsync(Trip, [segment], Ct));

        Assert.Contains("Reindex", error.Message);
        Assert.DoesNotContain(_server.Requests, r => r.Is("POST", "/_bulk"));
    }

    [Fact]
    public async Task The_search_pipelines_normalise_min_max_and_combine_by_weighted_arithmetic_mean()
    {
        var search = new SearchOptions { TextWeight = 0.6, SemanticWeight = 0.2, ImageWeight = 0.2 };

        await OpenSearchTestIndex.Create(_server.Url, search: search).InitializeAsync(Ct);

        var pipeline = _server.Requests.Single(r => r.Method == "PUT" && r.PathAndQuery == "/_search/pipeline/veeky-hybrid-text-semantic").Json;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            [{"normalization-processor":{"normalization":{"technique":"min_max"},
              "combination":{"technique":"arithmetic_mean","parameters":{"weights":[0.75,0.25]}}}}]
            """), pipeline["phase_results_processors"]));
        var three = _server.Requests.Single(r => r.PathAndQuery == "/_search/pipeline/veeky-hybrid-text-semantic-image").Json;
        Assert.Equal([0.6, 0.2, 0.2],
            three["phase_results_processors"]![0]!["normalization-processor"]!["combination"]!["parameters"]!["weights"]!.AsArray().Select(w => (double)w!));
    }

    [Fact]
    public async Task Reciprocal_rank_fusion_is_a_score_ranker_pipeline()
    {
        await OpenSearchTestIndex.Create(_server.Url, search: new SearchOptions { Fusion = FusionMethod.ReciprocalRank }).InitializeAsync(Ct);

        var pipeline = _server.Requests.First(r => r.Is("PUT", "/_search/pipeline/")).Json;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"score-ranker-processor":{"combination":{"technique":"rrf","rank_constant":60}}}"""),
            pipeline["phase_results_processors"]![0]));
    }

    [Fact]
    public async Task Text_search_is_boosted_bm25_inside_a_bool_with_the_access_filter()
    {
        var index = await InitializedAsync();

        await index.SearchAsync(new SearchRequest("onion slice ", Cook, SearchMode.Text, Limit: 5, Offset: 10), Ct);

        var search = _server.Requests.Single(r => r.Is("POST", "/veeky-segments/_search"));
        Assert.Equal("/veeky-segments/_search", search.PathAndQuery);
        var body = search.Json;
        Assert.Equal((10, 5, true), ((int)body["from"]!, (int)body["size"]!, (bool)body["track_total_hits"]!));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$$"""
            {"bool":{
              "must":[{"multi_match":{"query":"onion slice","type":"most_fields",
                "fields":["title^4","keywords^3","segmentKeywords^3","description^1.5","transcript","ocr","caption"]}}],
              "filter":[{"terms":{"categoryId":["{{{Cooking}}}"]}}]}}
            """), body["query"]));
        var highlight = body["highlight"]!;
        Assert.Equal(["transcript", "ocr", "caption"], new[] { "transcript", "ocr", "caption" }.Where(f => highlight["fields"]![f] is not null));
        Assert.True(JsonNode.DeepEquals(body["query"]!["bool"]!["must"]![0], highlight["highlight_query"]));
    }

    [Fact]
    public async Task The_last_word_is_a_prefix_while_it_is_still_being_typed()
    {
        var index = await InitializedAsync();

        await index.SearchAsync(new SearchRequest("stetho", Admin, SearchMode.Text), Ct);

        var query = _server.Requests.Single(r => r.Is("POST", "/veeky-segments/_search")).Json["query"]!;
        Assert.Equal("bool_prefix", (string?)query["bool"]!["must"]![0]!["multi_match"]!["type"]);
        Assert.Empty(query["bool"]!["filter"]!.AsArray());
    }

    [Fact]
    public async Task Own_words_only_adds_a_filter_of_any_query_word_in_transcript_ocr_or_caption_beside_the_access_filter()
    {
        var index = await InitializedAsync();

        await index.SearchAsync(new SearchRequest("onion slice ", Cook, SearchMode.Text, Matches: TextMatches.OwnWords), Ct);

        var query = _server.Requests.Single(r => r.Is("POST", "/veeky-segments/_search")).Json["query"]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$$"""
            [{"terms":{"categoryId":["{{{Cooking}}}"]}},
             {"multi_match":{"query":"onion slice","type":"best_fields","operator":"or","fields":["transcript","ocr","caption"]}}]
            """), query["bool"]!["filter"]));
        // The scored clause is the one of every text search: the filter narrows, it does not rank.
        Assert.Equal("most_fields", (string?)query["bool"]!["must"]![0]!["multi_match"]!["type"]);
    }

    [Fact]
    public async Task Own_words_only_matches_the_word_still_being_typed_as_a_prefix_in_the_own_text()
    {
        var index = await InitializedAsync();

        await index.SearchAsync(new SearchRequest("stetho", Admin, SearchMode.Text, Matches: TextMatches.OwnWords), Ct);

        var filter = _server.Requests.Single(r => r.Is("POST", "/veeky-segments/_search")).Json["query"]!["bool"]!["filter"]!.AsArray();
        Assert.Equal("bool_prefix", (string?)Assert.Single(filter)!["multi_match"]!["type"]);
    }

    [Fact]
    public async Task Video_rows_leave_out_own_word_moments_collapse_on_the_video_showing_its_earliest_moment_and_count_videos()
    {
        var index = await InitializedAsync();

        await index.SearchAsync(new SearchRequest("onion slice ", Cook, SearchMode.Text, Limit: 5, Offset: 10, Matches: TextMatches.VideoRows), Ct);

        var body = _server.Requests.Single(r => r.Is("POST", "/veeky-segments/_search")).Json;
        var query = body["query"]!["bool"]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$$"""[{"terms":{"categoryId":["{{{Cooking}}}"]}}]"""), query["filter"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            [{"multi_match":{"query":"onion slice","type":"best_fields","operator":"or","fields":["transcript","ocr","caption"]}}]
            """), query["must_not"]));
        Assert.Equal("most_fields", (string?)query["must"]![0]!["multi_match"]!["type"]);
        Assert.Equal((10, 5), ((int)body["from"]!, (int)body["size"]!));
        var collapse = body["collapse"]!;
        Assert.Equal("videoId", (string?)collapse["field"]);
        var earliest = collapse["inner_hits"]!;
        Assert.Equal(("earliest", 1), ((string?)earliest["name"], (int)earliest["size"]!));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"segmentIndex":"asc"}]"""), earliest["sort"]));
        // The row shows the earliest moment, so that is what is highlighted; the collapsed hit is only its score.
        Assert.NotNull(earliest["highlight"]);
        Assert.Null(body["highlight"]);
        Assert.Equal("videoId", (string?)body["aggs"]!["videos"]!["cardinality"]!["field"]);
    }

    [Fact]
    public async Task Video_rows_are_refused_in_a_hybrid_search_before_anything_is_sent()
    {
        var index = await InitializedAsync(o => (o.TextDimensions, o.ImageDimensions) = (3, 2));

        await Assert.ThrowsAsync<ArgumentException>(() => index.SearchAsync(
            new SearchRequest("doctor", Nurse, SearchMode.Hybrid, QueryEmbedding: [0.1f, 0.2f, 0.3f], Matches: TextMatches.VideoRows), Ct));
        Assert.DoesNotContain(_server.Requests, r => r.Is("POST", "/veeky-segments/_search"));
    }

    [Fact]
    public async Task Own_words_only_narrows_the_bm25_leg_of_a_hybrid_search_and_no_knn_leg()
    {
        var index = await InitializedAsync(o => (o.TextDimensions, o.ImageDimensions) = (3, 2));

        await index.SearchAsync(new SearchRequest("doctor ", Nurse, SearchMode.Hybrid, QueryEmbedding: [0.1f, 0.2f, 0.3f], Matches: TextMatches.OwnWords), Ct);

        var legs = _server.Requests.Single(r => r.Is("POST", "/veeky-segments/_search")).Json["query"]!["hybrid"]!["queries"]!.AsArray();
        Assert.Equal(2, legs[0]!["bool"]!["filter"]!.AsArray().Count);
        Assert.NotNull(legs[0]!["bool"]!["filter"]![1]!["multi_match"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$$"""[{"terms":{"categoryId":["{{{Medicine}}}"]}}]"""),
            legs[1]!["knn"]!["textEmbedding"]!["filter"]!["bool"]!["filter"]));
    }

    [Fact]
    public async Task Hybrid_search_carries_the_access_filter_in_the_bm25_leg_and_inside_every_knn_leg()
    {
        var index = await InitializedAsync(o => (o.TextDimensions, o.ImageDimensions) = (3, 2));

        var result = await index.SearchAsync(new SearchRequest("doctor", Nurse, SearchMode.Hybrid, VideoId: ClinicVideo, Limit: 10, Offset: 0,
            QueryEmbedding: [0.1f, 0.2f, 0.3f], QueryImageEmbedding: [0.5f, 0.5f]), Ct);

        Assert.Equal(SearchMode.Hybrid, result.Mode);
        var search = _server.Requests.Single(r => r.Is("POST", "/veeky-segments/_search"));
        Assert.Equal("/veeky-segments/_search?search_pipeline=veeky-hybrid-text-semantic-image", search.PathAndQuery);
        var expectedFilter = JsonNode.Parse($$$"""
            [{"terms":{"categoryId":["{{{Medicine}}}"]}},{"term":{"videoId":"{{{ClinicVideo}}}"}}]
            """);
        var legs = search.Json["query"]!["hybrid"]!["queries"]!.AsArray();
        Assert.Equal(3, legs.Count);
        Assert.True(JsonNode.DeepEquals(expectedFilter, legs[0]!["bool"]!["filter"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$$$$$"""
            {"knn":{"textEmbedding":{"vector":[0.1,0.2,0.3],"k":50,"filter":{"bool":{"filter":{{{{{{expectedFilter!.ToJsonString()}}}}}}}}}}}
            """), legs[1]));
        Assert.True(JsonNode.DeepEquals(expectedFilter, legs[2]!["knn"]!["imageEmbedding"]!["filter"]!["bool"]!["filter"]));
        Assert.Null(search.Json["query"]!["hybrid"]!["pagination_depth"]);
    }

    [Fact]
    public async Task A_date_range_is_a_range_filter_on_created_at_inside_every_leg()
    {
        var index = await InitializedAsync(o => (o.TextDimensions, o.ImageDimensions) = (3, 2));
        var from = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var to = new DateTimeOffset(2026, 3, 31, 23, 59, 59, 999, TimeSpan.FromHours(2));

        await index.SearchAsync(new SearchRequest("doctor", Nurse, SearchMode.Hybrid, QueryEmbedding: [0.1f, 0.2f, 0.3f],
            QueryImageEmbedding: [0.5f, 0.5f], CreatedFrom: from, CreatedTo: to), Ct);

        var search = _server.Requests.Single(r => r.Is("POST", "/veeky-segments/_search"));
        var expectedFilter = JsonNode.Parse($$$$"""
            [{"terms":{"categoryId":["{{{{Medicine}}}}"]}},
             {"range":{"createdAt":{"gte":"2026-03-01T00:00:00.000Z","lte":"2026-03-31T21:59:59.999Z"}}}]
            """);
        var legs = search.Json["query"]!["hybrid"]!["queries"]!.AsArray();
        Assert.True(JsonNode.DeepEquals(expectedFilter, legs[0]!["bool"]!["filter"]));
        Assert.True(JsonNode.DeepEquals(expectedFilter, legs[1]!["knn"]!["textEmbedding"]!["filter"]!["bool"]!["filter"]));
        Assert.True(JsonNode.DeepEquals(expectedFilter, legs[2]!["knn"]!["imageEmbedding"]!["filter"]!["bool"]!["filter"]));
    }

    [Fact]
    public async Task An_open_ended_date_range_sends_only_its_bound()
    {
        var index = await InitializedAsync();

        await index.SearchAsync(new SearchRequest("onion", Admin, SearchMode.Text,
            CreatedTo: new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)), Ct);

        var filter = _server.Requests.Single(r => r.Is("POST", "/veeky-segments/_search")).Json["query"]!["bool"]!["filter"]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"range":{"createdAt":{"lte":"2026-01-02T03:04:05.000Z"}}}]"""), filter));
    }

    [Fact]
    public async Task Segments_carry_their_video_creation_time_and_the_template_maps_it_as_a_date()
    {
        var index = await InitializedAsync();
        var created = new DateTimeOffset(2026, 5, 6, 7, 8, 9, 123, TimeSpan.FromHours(-4));

        await index.ReplaceVideoAsync(Knife with { CreatedAt = created }, KnifeSegments, Ct);

        var bulk = _server.Requests.Single(r => r.Is("POST", "/_bulk"));
        Assert.Equal("2026-05-06T11:08:09.123Z", (string?)bulk.Lines[1]["createdAt"]);
        Assert.Equal("date", (string?)new OpenSearchSchema("veeky-").SegmentsTemplateBody()["template"]!["mappings"]!["properties"]!["createdAt"]!["type"]);
    }

    [Fact]
    public async Task A_segments_index_from_before_the_date_filter_gets_the_created_at_mapping_on_start()
    {
        await OpenSearchTestIndex.Create(_server.Url).InitializeAsync(Ct);
        Assert.DoesNotContain(_server.Requests, r => r.Is("PUT", "/veeky-segments/_mapping"));
        _server.ClearRequests();

        // The fake keeps only mappings put explicitly, so the existing index looks like one made by the old template.
        await OpenSearchTestIndex.Create(_server.Url).InitializeAsync(Ct);
        await OpenSearchTestIndex.Create(_server.Url).InitializeAsync(Ct);

        var mapping = _server.Requests.Single(r => r.Is("PUT", "/veeky-segments/_mapping"));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"properties":{"createdAt":{"type":"date"}}}"""), mapping.Json));
    }

    [Fact]
    public async Task A_later_hybrid_page_sets_the_pagination_depth_and_k_covers_the_page()
    {
        var index = await InitializedAsync(o => o.TextDimensions = 3);

        await index.SearchAsync(new SearchRequest("doctor", Admin, SearchMode.Hybrid, Limit: 30, Offset: 40, QueryEmbedding: [1f, 0f, 0f]), Ct);

        var search = _server.Requests.Single(r => r.Is("POST", "/veeky-segments/_search"));
        Assert.Equal("/veeky-segments/_search?search_pipeline=veeky-hybrid-text-semantic", search.PathAndQuery);
        var hybrid = search.Json["query"]!["hybrid"]!;
        Assert.Equal(70, (int)hybrid["pagination_depth"]!);
        Assert.Equal(70, (int)hybrid["queries"]![1]!["knn"]!["textEmbedding"]!["k"]!);
        Assert.Null(hybrid["queries"]![1]!["knn"]!["textEmbedding"]!["filter"]);
    }

    [Fact]
    public async Task Semantic_search_is_one_filtered_knn_query_without_pipeline_or_highlight()
    {
        var index = await InitializedAsync(o => o.TextDimensions = 3);

        var result = await index.SearchAsync(new SearchRequest("doctor", Cook, SearchMode.Semantic, CategoryId: Cooking, QueryEmbedding: [1f, 0f, 0f]), Ct);

        Assert.Equal(SearchMode.Semantic, result.Mode);
        var search = _server.Requests.Single(r => r.Is("POST", "/veeky-segments/_search"));
        Assert.Equal("/veeky-segments/_search", search.PathAndQuery);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$$$$$"""
            {"knn":{"textEmbedding":{"vector":[1,0,0],"k":50,"filter":{"bool":{"filter":[
              {"terms":{"categoryId":["{{{{{{Cooking}}}}}}"]}},{"term":{"categoryId":"{{{{{{Cooking}}}}}}"}}]}}}}}
            """), search.Json["query"]));
        Assert.Null(search.Json["highlight"]);
    }

    [Fact]
    public async Task A_search_by_picture_without_words_is_one_filtered_knn_query_on_the_keyframe_vectors()
    {
        var index = await InitializedAsync(o => o.ImageDimensions = 3);

        var result = await index.SearchAsync(new SearchRequest("", Cook, SearchMode.Semantic, QueryImageEmbedding: [0f, 1f, 0f]), Ct);

        Assert.Equal(SearchMode.Semantic, result.Mode);
        var search = _server.Requests.Single(r => r.Is("POST", "/veeky-segments/_search"));
        Assert.Equal("/veeky-segments/_search", search.PathAndQuery);
        var knn = search.Json["query"]!["knn"]!["imageEmbedding"]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("[0,1,0]"), knn["vector"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$$"""[{"terms":{"categoryId":["{{{Cooking}}}"]}}]"""), knn["filter"]!["bool"]!["filter"]));
        Assert.Null(search.Json["highlight"]);
    }

    [Fact]
    public async Task Hybrid_before_any_vector_is_mapped_is_a_text_search_and_says_so()
    {
        var index = await InitializedAsync();

        var result = await index.SearchAsync(new SearchRequest("onion", Admin, SearchMode.Hybrid, QueryEmbedding: [1f, 0f, 0f]), Ct);

        Assert.Equal(SearchMode.Text, result.Mode);
        var search = _server.Requests.Single(r => r.Is("POST", "/veeky-segments/_search"));
        Assert.Equal("/veeky-segments/_search", search.PathAndQuery);
        Assert.NotNull(search.Json["query"]!["bool"]);
    }

    [Fact]
    public async Task A_searcher_learns_of_vector_fields_another_process_mapped_after_it_started()
    {
        var api = await InitializedAsync();
        var indexer = OpenSearchTestIndex.Create(_server.Url);
        await indexer.InitializeAsync(Ct);
        await indexer.ReplaceVideoAsync(Clinic, ClinicSegments, Ct);
        _server.ClearRequests();

        var result = await api.SearchAsync(new SearchRequest("doctor", Nurse, SearchMode.Semantic, QueryEmbedding: TestHashingEmbeddingGenerator.Embed("doctor")), Ct);

        Assert.Equal(SearchMode.Semantic, result.Mode);
        Assert.Equal(["GET /veeky-segments/_mapping", "POST /veeky-segments/_search"], _server.Requests.Select(r => $"{r.Method} {r.PathAndQuery}"));
        Assert.NotNull(_server.Requests[1].Json["query"]!["knn"]!["textEmbedding"]);
    }

    [Fact]
    public async Task A_zero_query_vector_which_has_no_direction_is_not_sent_as_a_knn_leg()
    {
        var index = await InitializedAsync(o => o.TextDimensions = 3);

        var semantic = await index.SearchAsync(new SearchRequest("doctor", Admin, SearchMode.Semantic, QueryEmbedding: new float[3]), Ct);
        var hybrid = await index.SearchAsync(new SearchRequest("doctor", Admin, SearchMode.Hybrid, QueryEmbedding: new float[3]), Ct);

        Assert.Equal((SearchMode.Semantic, SearchMode.Text), (semantic.Mode, hybrid.Mode));
        Assert.DoesNotContain("knn", Assert.Single(_server.Requests).Body);
    }

    [Fact]
    public async Task A_user_without_categories_or_asking_for_a_hidden_one_gets_nothing_without_a_query()
    {
        var index = await InitializedAsync();

        var nobody = await index.SearchAsync(new SearchRequest("onion", Nobody), Ct);
        var hidden = await index.SearchAsync(new SearchRequest("onion", Cook, CategoryId: Medicine), Ct);
        var blank = await index.SearchAsync(new SearchRequest(" \t", Admin), Ct);

        Assert.Equal((0, 0, 0), (nobody.Total, hidden.Total, blank.Total));
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task A_very_long_query_is_cut_to_a_bounded_number_of_words()
    {
        var index = await InitializedAsync();

        await index.SearchAsync(new SearchRequest(string.Concat(Enumerable.Repeat("knife \"onion\" NEAR( -* ((( ", 400)), Admin), Ct);

        var query = (string)_server.Requests.Single(r => r.Is("POST", "/veeky-segments/_search")).Json["query"]!["bool"]!["must"]![0]!["multi_match"]!["query"]!;
        Assert.Equal(OpenSearchQuery.MaxWords, query.Split(' ').Length);
    }

    [Fact]
    public async Task Replace_bulk_writes_the_new_generation_then_upserts_the_video_then_deletes_older_generations()
    {
        var index = await InitializedAsync();

        await index.ReplaceVideoAsync(Knife, KnifeSegments, Ct);

        var writes = _server.Requests.Where(r => r.Method != "GET").ToList();
        var bulk = writes.Single(r => r.Is("POST", "/_bulk"));
        Assert.Equal("/_bulk?refresh=true", bulk.PathAndQuery);
        Assert.StartsWith("application/x-ndjson", bulk.ContentType);
        Assert.EndsWith("\n", bulk.Body);
        var lines = bulk.Lines;
        Assert.Equal(6, lines.Count);
        var generation = (long)lines[1]["generation"]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$$"""{"index":{"_index":"veeky-segments","_id":"{{{KnifeVideo}}}:{{{generation}}}:0"}}"""), lines[0]));
        var first = lines[1];
        Assert.Equal(KnifeVideo.ToString(), (string?)first["videoId"]);
        Assert.Equal(Cooking.ToString(), (string?)first["categoryId"]);
        Assert.Equal(("Knife skills for beginners", "Learn to hold a chef's knife safely."), ((string?)first["title"], (string?)first["description"]));
        Assert.Equal(["chopping", "onion"], first["keywords"]!.AsArray().Select(k => (string?)k));
        Assert.Equal("Welcome to the kitchen. Today we talk about cutting boards.", (string?)first["transcript"]);
        Assert.Equal((0, 0.0, 12.0), ((int)first["segmentIndex"]!, (double)first["start"]!, (double)first["end"]!));
        Assert.Equal(TestHashingEmbeddingGenerator.Dimensions, first["textEmbedding"]!.AsArray().Count);
        Assert.Equal($"{KnifeVideo}:{generation}:2", (string?)lines[4]["index"]!["_id"]);

        var video = writes.Single(r => r.Is("PUT", "/veeky-videos/_doc/"));
        Assert.Equal($"/veeky-videos/_doc/{KnifeVideo}?refresh=wait_for", video.PathAndQuery);
        Assert.Equal(generation, (long)video.Json["generation"]!);

        var delete = writes.Single(r => r.Is("POST", "/veeky-segments/_delete_by_query"));
        Assert.Equal("/veeky-segments/_delete_by_query?conflicts=proceed&refresh=true", delete.PathAndQuery);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$$$"""
            {"query":{"bool":{"filter":[{"term":{"videoId":"{{{{KnifeVideo}}}}"}},{"range":{"generation":{"lt":{{{{generation}}}}}}}]}}}
            """), delete.Json));
        Assert.True(writes.IndexOf(bulk) < writes.IndexOf(video) && writes.IndexOf(video) < writes.IndexOf(delete));
    }

    [Fact]
    public async Task Each_replace_writes_a_newer_generation()
    {
        var index = await InitializedAsync();

        await index.ReplaceVideoAsync(Trip, TripSegments, Ct);
        await index.ReplaceVideoAsync(Trip, TripSegments, Ct);

        var generations = _server.Requests.Where(r => r.Is("POST", "/_bulk")).Select(r => (long)r.Lines[1]["generation"]!).ToList();
        Assert.Equal(2, generations.Count);
        Assert.True(generations[1] > generations[0]);
    }

    [Fact]
    public async Task Update_sets_the_copied_fields_with_a_painless_script_whose_values_are_params()
    {
        var index = await InitializedAsync();
        var renamed = Bread with { Title = "Rye \"bread\"; ctx.op = 'delete'", CategoryId = Travel, Keywords = ["rye"] };

        await index.UpdateVideoAsync(renamed, Ct);

        var update = _server.Requests.Single(r => r.Is("POST", "/veeky-segments/_update_by_query"));
        Assert.Equal("/veeky-segments/_update_by_query?conflicts=proceed&refresh=true", update.PathAndQuery);
        var script = update.Json["script"]!;
        Assert.Equal("painless", (string?)script["lang"]);
        Assert.DoesNotContain("Rye", (string)script["source"]!);
        Assert.Equal(renamed.Title, (string?)script["params"]!["title"]);
        Assert.Equal(Travel.ToString(), (string?)script["params"]!["categoryId"]);
        Assert.Equal(["rye"], script["params"]!["keywords"]!.AsArray().Select(k => (string?)k));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$$"""{"term":{"videoId":"{{{BreadVideo}}}"}}"""), update.Json["query"]));
        var video = _server.Requests.Single(r => r.Is("POST", "/veeky-videos/_update/"));
        Assert.Equal(renamed.Title, (string?)video.Json["doc"]!["title"]);
    }

    [Fact]
    public async Task Delete_removes_the_video_document_and_every_segment_of_every_generation()
    {
        var index = await InitializedAsync();

        await index.DeleteVideoAsync(ClinicVideo, Ct);

        Assert.Contains(_server.Requests, r => r.Method == "DELETE" && r.PathAndQuery == $"/veeky-videos/_doc/{ClinicVideo}?refresh=wait_for");
        var delete = _server.Requests.Single(r => r.Is("POST", "/veeky-segments/_delete_by_query"));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$$$"""{"query":{"term":{"videoId":"{{{{ClinicVideo}}}}"}}}"""), delete.Json));
    }

    [Fact]
    public async Task Rebuild_replaces_every_video_given_then_deletes_what_was_indexed_before_it_began()
    {
        var index = await InitializedAsync();
        static async IAsyncEnumerable<(VideoDocument, IReadOnlyList<SegmentDocument>)> FromDatabase()
        {
            yield return (Knife, KnifeSegments);
            await Task.Yield();
            yield return (Trip, TripSegments);
        }

        var count = await index.RebuildAsync(FromDatabase(), Ct);

        Assert.Equal(2, count);
        Assert.Equal(2, _server.Requests.Count(r => r.Is("POST", "/_bulk")));
        var firstGeneration = _server.Requests.Where(r => r.Is("POST", "/_bulk")).Select(r => (long)r.Lines[1]["generation"]!).Min();
        var stale = _server.Requests.Where(r => r.Is("POST", "/") && r.PathAndQuery.Contains("_delete_by_query")).TakeLast(2).ToList();
        Assert.Equal(["/veeky-segments/_delete_by_query", "/veeky-videos/_delete_by_query"], stale.Select(r => r.PathWithoutQuery));
        var cutoff = (long)stale[0].Json["query"]!["bool"]!["should"]![0]!["range"]!["generation"]!["lt"]!;
        Assert.True(cutoff < firstGeneration);
    }
}
