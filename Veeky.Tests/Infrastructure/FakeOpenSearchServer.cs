using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Veeky.Tests.Infrastructure;

/// <summary>
/// TEST DOUBLE of an OpenSearch node: a Kestrel server on 127.0.0.1 that records every request and answers the way the
/// OpenSearch REST API documents it (templates and indices that exist once created, acknowledged pipelines, a
/// <c>_bulk</c> answer per item, empty searches, green health). A test scripts other answers with <see cref="Answer"/>.
/// It does not search: tests against it check what the adapter sends and how it reads the answers.
/// </summary>
public sealed class FakeOpenSearchServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly List<ScriptedAnswer> _scripted = [];
    private readonly HashSet<string> _existing = [];
    private readonly Dictionary<string, JsonObject> _mappings = [];
    private readonly Lock _gate = new();

    private FakeOpenSearchServer(WebApplication app)
    {
        _app = app;
        _app.Run(HandleAsync);
    }

    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public static async Task<FakeOpenSearchServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var server = new FakeOpenSearchServer(builder.Build());
        await server._app.StartAsync();
        var address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.Url = new Uri(address);
        return server;
    }

    /// <summary>
    /// Answers the next <paramref name="times"/> requests matching <paramref name="when"/> with this status and body
    /// instead of the default; scripted answers are used in the order they were added.
    /// </summary>
    public void Answer(Func<RecordedRequest, bool> when, int status, string body, int times = 1, IReadOnlyDictionary<string, string>? headers = null)
    {
        lock (_gate)
        {
            _scripted.Add(new ScriptedAnswer(when, status, body, headers ?? new Dictionary<string, string>(), times));
        }
    }

    /// <summary>Forgets the requests recorded so far (the scripted answers and the created resources stay).</summary>
    public void ClearRequests() => _requests.Clear();

    private async Task HandleAsync(HttpContext context)
    {
        var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
        var request = new RecordedRequest(context.Request.Method, context.Request.PathBase + context.Request.Path + context.Request.QueryString, body,
            context.Request.ContentType, context.Request.Headers.Authorization.ToString());
        _requests.Enqueue(request);

        ScriptedAnswer? scripted;
        lock (_gate)
        {
            scripted = _scripted.FirstOrDefault(s => s.Remaining > 0 && s.When(request));
            if (scripted is not null)
            {
                scripted.Remaining--;
            }
        }
        var (status, answer, headers) = scripted is not null
            ? (scripted.Status, scripted.Body, scripted.Headers)
            : Default(request);
        context.Response.StatusCode = status;
        foreach (var (name, value) in headers)
        {
            context.Response.Headers[name] = value;
        }
        if (request.Method != "HEAD" && answer.Length > 0)
        {
            context.Response.ContentType = "application/json; charset=UTF-8";
            await context.Response.WriteAsync(answer);
        }
    }

    private static readonly IReadOnlyDictionary<string, string> NoHeaders = new Dictionary<string, string>();

    private (int, string, IReadOnlyDictionary<string, string>) Default(RecordedRequest request)
    {
        var path = request.PathWithoutQuery;
        var segments = path.Trim('/').Split('/');
        lock (_gate)
        {
            switch (request.Method)
            {
                case "GET" when path == "/_cluster/health":
                    return (200, """{"cluster_name":"fake","status":"green","number_of_nodes":1}""", NoHeaders);
                case "GET" when path.StartsWith("/_index_template/", StringComparison.Ordinal):
                    return _existing.Contains(path)
                        ? (200, $$"""{"index_templates":[{"name":"{{segments[1]}}"}]}""", NoHeaders)
                        : (404, """{"error":{"type":"resource_not_found_exception","reason":"index template matching [x] not found"},"status":404}""", NoHeaders);
                case "PUT" when path.StartsWith("/_index_template/", StringComparison.Ordinal):
                    _existing.Add(path);
                    return (200, """{"acknowledged":true}""", NoHeaders);
                case "PUT" when path.StartsWith("/_search/pipeline/", StringComparison.Ordinal):
                    return (200, """{"acknowledged":true}""", NoHeaders);
                case "HEAD" when segments.Length == 1:
                    return (_existing.Contains(path) ? 200 : 404, "", NoHeaders);
                case "PUT" when segments.Length == 1:
                    if (!_existing.Add(path))
                    {
                        return (400, $$"""{"error":{"type":"resource_already_exists_exception","reason":"index [{{segments[0]}}/x] already exists"},"status":400}""", NoHeaders);
                    }
                    return (200, $$"""{"acknowledged":true,"shards_acknowledged":true,"index":"{{segments[0]}}"}""", NoHeaders);
                case "GET" when segments is [var index, "_mapping"]:
                    var properties = _mappings.TryGetValue(index, out var mapped) ? mapped.ToJsonString() : "{}";
                    return (200, $$$$"""{"{{{{index}}}}":{"mappings":{"properties":{{{{properties}}}}}}}""", NoHeaders);
                case "PUT" when segments is [var index, "_mapping"]:
                    var added = JsonNode.Parse(request.Body)!["properties"]!.AsObject();
                    var all = _mappings.TryGetValue(index, out var known) ? known : _mappings[index] = [];
                    foreach (var (field, mapping) in added)
                    {
                        all[field] = mapping!.DeepClone();
                    }
                    return (200, """{"acknowledged":true}""", NoHeaders);
                case "POST" when path == "/_bulk":
                    return (200, BulkAnswer(request), NoHeaders);
                case "POST" when segments is [_, "_search"]:
                    return (200, """{"took":1,"timed_out":false,"hits":{"total":{"value":0,"relation":"eq"},"max_score":null,"hits":[]}}""", NoHeaders);
                case "POST" when segments is [_, "_delete_by_query" or "_update_by_query"]:
                    return (200, """{"took":1,"timed_out":false,"total":0,"deleted":0,"updated":0,"batches":0,"version_conflicts":0,"noops":0,"failures":[]}""", NoHeaders);
                case "PUT" when segments is [_, "_doc", _]:
                    return (201, """{"result":"created","_shards":{"total":1,"successful":1,"failed":0}}""", NoHeaders);
                case "POST" when segments is [_, "_update", _]:
                    return (200, """{"result":"updated","_shards":{"total":1,"successful":1,"failed":0}}""", NoHeaders);
                case "DELETE" when segments is [_, "_doc", _]:
                    return (200, """{"result":"deleted","_shards":{"total":1,"successful":1,"failed":0}}""", NoHeaders);
                default:
                    return (400, $$"""{"error":{"type":"illegal_argument_exception","reason":"fake server has no answer for {{request.Method}} {{path}}"},"status":400}""", NoHeaders);
            }
        }
    }

    /// <summary>Every item succeeds: one result per action line, as OpenSearch answers a bulk without errors.</summary>
    public static string BulkAnswer(RecordedRequest request)
    {
        var items = new JsonArray();
        foreach (var action in request.BulkActions())
        {
            var (kind, target) = action.AsObject().First();
            items.Add(new JsonObject
            {
                [kind] = new JsonObject
                {
                    ["_index"] = (string?)target!["_index"],
                    ["_id"] = (string?)target["_id"],
                    ["result"] = kind == "delete" ? "deleted" : "created",
                    ["status"] = kind == "delete" ? 200 : 201,
                },
            });
        }
        return new JsonObject { ["took"] = 1, ["errors"] = false, ["items"] = items }.ToJsonString();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class ScriptedAnswer(Func<RecordedRequest, bool> when, int status, string body, IReadOnlyDictionary<string, string> headers, int times)
    {
        public Func<RecordedRequest, bool> When { get; } = when;
        public int Status { get; } = status;
        public string Body { get; } = body;
        public IReadOnlyDictionary<string, string> Headers { get; } = headers;
        public int Remaining { get; set; } = times;
    }
}

/// <summary>One request the fake OpenSearch received.</summary>
public sealed record RecordedRequest(string Method, string PathAndQuery, string Body, string? ContentType, string Authorization = "")
{
    public string PathWithoutQuery => PathAndQuery.Split('?')[0];

    public JsonNode Json => JsonNode.Parse(Body)!;

    /// <summary>The lines of an NDJSON body, parsed.</summary>
    public IReadOnlyList<JsonNode> Lines => [.. Body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!)];

    /// <summary>The action lines of a <c>_bulk</c> body (a document line follows every action but delete).</summary>
    public IReadOnlyList<JsonNode> BulkActions()
    {
        var actions = new List<JsonNode>();
        var lines = Lines;
        for (var i = 0; i < lines.Count; i++)
        {
            actions.Add(lines[i]);
            if (lines[i].AsObject().First().Key != "delete")
            {
                i++;
            }
        }
        return actions;
    }

    public bool Is(string method, string pathStart) =>
        Method == method && PathAndQuery.StartsWith(pathStart, StringComparison.Ordinal);
}
