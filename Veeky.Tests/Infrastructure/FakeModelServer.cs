using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Veeky.AI;

namespace Veeky.Tests.Infrastructure;

/// <summary>
/// A real HTTP server on 127.0.0.1 that answers as Ollama (<c>/api/chat</c>, <c>/api/embed</c>, <c>/api/tags</c>) and
/// OpenAI-compatible servers (<c>/v1/embeddings</c>, <c>/v1/audio/transcriptions</c>) document their answers, and
/// records every request so tests can check what Veeky sent. Tests script failures with <see cref="Enqueue"/>.
/// Its "speech recognition" hears tone bursts: each burst of 200 + 40·k Hz is the word <c>w{k}</c>, so a test can
/// build audio whose words and times it knows.
/// </summary>
public sealed class FakeModelServer : IAsyncLifetime, IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ConcurrentQueue<ModelServerRequest> _requests = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<FakeReply>> _scripted = new();
    private WebApplication? _app;

    /// <summary>Models the server "has pulled"; a request for any other is answered with Ollama's 404.</summary>
    public ConcurrentDictionary<string, bool> Models { get; } = new(
        new[] { "llama3.2", "llava", "all-minilm", "clip-vit", "whisper-1" }.ToDictionary(m => m, _ => true));

    /// <summary>Added before every unscripted answer, to stand in for a model's thinking time.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>When set, a chat request with an image is answered with this text (a caption) instead of the echo.</summary>
    public string? Caption { get; set; }

    /// <summary>When set, embeddings come from this function instead of the per-text random unit vector
    /// (e.g. <see cref="TestHashingEmbeddingGenerator.Embed"/>, so synonyms land near each other).</summary>
    public Func<string, float[]>? Embedder { get; set; }

    /// <summary>How long a streamed chat answer pauses after its first piece (a model stuck mid-answer).</summary>
    public TimeSpan StreamPause { get; set; }

    /// <summary>Length of the fake embedding vectors.</summary>
    public int Dimensions { get; set; } = 8;

    public Uri Endpoint { get; private set; } = null!;

    public ModelConnection Connection(string? model) => new(Endpoint, model);

    public IReadOnlyList<ModelServerRequest> Requests => _requests.ToList();

    public IReadOnlyList<ModelServerRequest> RequestsTo(string path) => _requests.Where(r => r.Path == path).ToList();

    /// <summary>The next request to <paramref name="path"/> gets <paramref name="reply"/> instead of the usual answer.</summary>
    public void Enqueue(string path, FakeReply reply) => _scripted.GetOrAdd(path, _ => new()).Enqueue(reply);

    public static async Task<FakeModelServer> StartAsync()
    {
        var server = new FakeModelServer();
        await server.InitializeAsync();
        return server;
    }

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(HandleAsync);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Endpoint = new Uri(address.Replace("[::1]", "127.0.0.1"));
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = await RecordAsync(context.Request);
        _requests.Enqueue(request);
        var ct = context.RequestAborted;

        if (_scripted.TryGetValue(request.Path, out var queue) && queue.TryDequeue(out var scripted))
        {
            await Task.Delay(scripted.Delay, ct);
            await WriteAsync(context, scripted.Status, scripted.Body, scripted.ContentType);
            return;
        }
        await Task.Delay(Latency, ct);

        var model = request.Json is { ValueKind: JsonValueKind.Object } body && body.TryGetProperty("model", out var m) ? m.GetString()
            : request.Form.TryGetValue("model", out var formModel) ? formModel[0] : null;
        if (request.Method == "POST" && model is not null && !Models.ContainsKey(model))
        {
            var error = request.Path.StartsWith("/api/", StringComparison.Ordinal)
                ? new JsonObject { ["error"] = $"model \"{model}\" not found, try pulling it first" }
                : new JsonObject { ["error"] = new JsonObject { ["message"] = $"The model `{model}` does not exist.", ["type"] = "invalid_request_error" } };
            await WriteAsync(context, 404, error.ToJsonString());
            return;
        }

        switch (request.Path)
        {
            case "/api/chat":
                await ChatAsync(context, request.Json!.Value, model!);
                break;
            case "/api/embed":
                await OllamaEmbedAsync(context, request.Json!.Value, model!);
                break;
            case "/api/tags":
                await WriteAsync(context, 200, Tags());
                break;
            case "/v1/embeddings":
                await OpenAIEmbeddingsAsync(context, request.Json!.Value, model!);
                break;
            case "/v1/audio/transcriptions":
                await WriteAsync(context, 200, Transcription(request));
                break;
            default:
                await WriteAsync(context, 404, "404 page not found", "text/plain");
                break;
        }
    }

    private static async Task<ModelServerRequest> RecordAsync(HttpRequest request)
    {
        JsonElement? json = null;
        var form = new Dictionary<string, string[]>();
        byte[]? file = null;
        if (request.HasFormContentType)
        {
            var read = await request.ReadFormAsync();
            foreach (var (key, values) in read)
            {
                form[key] = values.Select(v => v ?? "").ToArray();
            }
            if (read.Files.Count > 0)
            {
                using var buffer = new MemoryStream();
                await read.Files[0].CopyToAsync(buffer);
                file = buffer.ToArray();
                form["file.name"] = [read.Files[0].FileName];
                form["file.name.field"] = [read.Files[0].Name];
            }
        }
        else if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            using var document = await JsonDocument.ParseAsync(request.Body);
            json = document.RootElement.Clone();
        }
        return new ModelServerRequest(request.Method, request.Path.Value ?? "", json, form, file);
    }

    private static async Task WriteAsync(HttpContext context, int status, string body, string contentType = "application/json; charset=utf-8")
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>Answers as /api/chat does: the last user message echoed, images counted, or JSON when a format is asked.</summary>
    private async Task ChatAsync(HttpContext context, JsonElement body, string model)
    {
        var messages = body.GetProperty("messages").EnumerateArray().ToList();
        var last = messages.LastOrDefault(m => m.GetProperty("role").GetString() == "user");
        var imageCount = last.ValueKind == JsonValueKind.Object && last.TryGetProperty("images", out var images) ? images.GetArrayLength() : 0;
        var promptWords = messages.Sum(m => m.GetProperty("content").GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        string content;
        if (body.TryGetProperty("format", out var format) && format.ValueKind == JsonValueKind.Object)
        {
            content = SampleFor(format).ToJsonString();
        }
        else if (body.TryGetProperty("format", out format) && format.ValueKind == JsonValueKind.String)
        {
            content = """{"answer":"ok"}""";
        }
        else
        {
            var text = last.ValueKind == JsonValueKind.Object ? last.GetProperty("content").GetString() : "";
            content = imageCount > 0 ? Caption ?? $"I see {imageCount} image(s). {text}" : $"You said: {text}";
        }

        var words = content.Split(' ');
        var doneReason = "stop";
        if (body.TryGetProperty("options", out var options) && options.TryGetProperty("num_predict", out var limit) && limit.GetInt32() < words.Length)
        {
            words = words[..limit.GetInt32()];
            content = string.Join(' ', words);
            doneReason = "length";
        }
        var createdAt = DateTimeOffset.UtcNow.ToString("O");
        var final = new JsonObject
        {
            ["model"] = model,
            ["created_at"] = createdAt,
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content },
            ["done"] = true,
            ["done_reason"] = doneReason,
            ["total_duration"] = 5191566416,
            ["load_duration"] = 2154458,
            ["prompt_eval_count"] = promptWords,
            ["prompt_eval_duration"] = 383809000,
            ["eval_count"] = words.Length,
            ["eval_duration"] = 4799921000,
        };
        if (!body.TryGetProperty("stream", out var stream) || stream.GetBoolean())
        {
            // Ollama streams unless told not to: one JSON object per line, the last with the counts and empty content.
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-ndjson";
            for (var i = 0; i < words.Length; i++)
            {
                var piece = new JsonObject
                {
                    ["model"] = model,
                    ["created_at"] = createdAt,
                    ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = i == 0 ? words[i] : " " + words[i] },
                    ["done"] = false,
                };
                await context.Response.WriteAsync(piece.ToJsonString() + "\n", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                if (i == 0)
                {
                    await Task.Delay(StreamPause, context.RequestAborted);
                }
            }
            final["message"]!["content"] = "";
            await context.Response.WriteAsync(final.ToJsonString() + "\n", context.RequestAborted);
            return;
        }
        await WriteAsync(context, 200, final.ToJsonString());
    }

    /// <summary>A value that satisfies a simple JSON schema: what a model following <c>format</c> would return.</summary>
    private static JsonNode SampleFor(JsonElement schema) =>
        (schema.TryGetProperty("type", out var type) ? type.ToString() : "object") switch
        {
            "object" => new JsonObject((schema.TryGetProperty("properties", out var properties) ? properties.EnumerateObject() : default)
                .Select(p => KeyValuePair.Create(p.Name, (JsonNode?)SampleFor(p.Value)))),
            "array" => new JsonArray("red car", "city street"),
            "integer" or "number" => JsonValue.Create(3),
            "boolean" => JsonValue.Create(true),
            _ => JsonValue.Create("sample"),
        };

    private async Task OllamaEmbedAsync(HttpContext context, JsonElement body, string model)
    {
        var input = body.GetProperty("input");
        var texts = input.ValueKind == JsonValueKind.Array ? input.EnumerateArray().Select(e => e.GetString()!).ToList() : [input.GetString()!];
        var answer = new JsonObject
        {
            ["model"] = model,
            ["embeddings"] = new JsonArray(texts.Select(t => (JsonNode)Vector(t)).ToArray()),
            ["total_duration"] = 14143917,
            ["load_duration"] = 1019500,
            ["prompt_eval_count"] = texts.Sum(t => t.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length),
        };
        await WriteAsync(context, 200, answer.ToJsonString());
    }

    private async Task OpenAIEmbeddingsAsync(HttpContext context, JsonElement body, string model)
    {
        var texts = body.GetProperty("input").EnumerateArray().Select(e => e.GetString()!).ToList();
        var answer = new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray(texts.Select((t, i) => (JsonNode)new JsonObject
            {
                ["object"] = "embedding", ["embedding"] = Vector(t), ["index"] = i,
            }).ToArray()),
            ["model"] = model,
            ["usage"] = new JsonObject { ["prompt_tokens"] = texts.Count, ["total_tokens"] = texts.Count },
        };
        await WriteAsync(context, 200, answer.ToJsonString());
    }

    /// <summary>A unit vector that depends only on the text, so the same input always embeds the same.</summary>
    public JsonArray Vector(string text)
    {
        if (Embedder is not null)
        {
            return new JsonArray(Embedder(text).Select(v => (JsonNode)JsonValue.Create(v)).ToArray());
        }
        var values = new double[Dimensions];
        var seed = text.Aggregate(17, (hash, c) => unchecked(hash * 31 + c));
        var random = new Random(seed);
        for (var i = 0; i < values.Length; i++) values[i] = random.NextDouble() - 0.5;
        var norm = Math.Sqrt(values.Sum(v => v * v));
        return new JsonArray(values.Select(v => (JsonNode)JsonValue.Create((float)(v / norm))).ToArray());
    }

    private string Tags() => new JsonObject
    {
        ["models"] = new JsonArray(Models.Keys.Select(name => (JsonNode)new JsonObject
        {
            ["name"] = name + ":latest", ["model"] = name + ":latest", ["modified_at"] = "2024-12-01T10:00:00Z",
            ["size"] = 2019393189, ["digest"] = "a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72",
        }).ToArray()),
    }.ToJsonString();

    /// <summary>verbose_json as OpenAI documents it; <c>words</c> only when word timestamps were asked for.</summary>
    private static string Transcription(ModelServerRequest request)
    {
        var words = request.File is { } audio ? HearTones(audio) : [];
        var granularities = request.Form.TryGetValue("timestamp_granularities[]", out var g) ? g : [];
        var duration = request.File is { } file ? (file.Length - 44) / 32000.0 : 0;
        var answer = new JsonObject
        {
            ["task"] = "transcribe",
            ["language"] = "english",
            ["duration"] = Math.Round(duration, 2),
            ["text"] = string.Join(' ', words.Select(w => w.Word)),
            ["segments"] = new JsonArray(words.Select((w, i) => (JsonNode)new JsonObject
            {
                ["id"] = i, ["seek"] = 0, ["start"] = w.Start, ["end"] = w.End, ["text"] = " " + w.Word,
                ["tokens"] = new JsonArray(50364, 2396), ["temperature"] = 0.0, ["avg_logprob"] = -0.28,
                ["compression_ratio"] = 1.36, ["no_speech_prob"] = 0.0017,
            }).ToArray()),
        };
        if (granularities.Contains("word"))
        {
            answer["words"] = new JsonArray(words.Select(w => (JsonNode)new JsonObject
            {
                ["word"] = " " + w.Word, ["start"] = w.Start, ["end"] = w.End,
            }).ToArray());
        }
        return answer.ToJsonString();
    }

    /// <summary>Finds bursts of sound in 16-bit mono PCM WAV and names each <c>w{k}</c> from its pitch (200 + 40·k Hz).</summary>
    private static List<(string Word, double Start, double End)> HearTones(byte[] wav)
    {
        var dataOffset = IndexOf(wav, "data"u8) + 8;
        if (dataOffset < 8) return [];
        var sampleRate = BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(24));
        var samples = new short[(wav.Length - dataOffset) / 2];
        for (var i = 0; i < samples.Length; i++) samples[i] = BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(dataOffset + 2 * i));

        var frame = sampleRate / 100;
        var words = new List<(string, double, double)>();
        int? burstStart = null;
        var quietFrames = 0;
        for (var f = 0; f * frame < samples.Length; f++)
        {
            var span = samples.AsSpan(f * frame, Math.Min(frame, samples.Length - f * frame));
            var rms = Math.Sqrt(span.ToArray().Average(s => (double)s * s)) / short.MaxValue;
            if (rms > 0.02)
            {
                burstStart ??= f;
                quietFrames = 0;
                continue;
            }
            if (burstStart is null || ++quietFrames < 5) continue;
            AddBurst(burstStart.Value, f - quietFrames + 1);
            burstStart = null;
        }
        if (burstStart is not null) AddBurst(burstStart.Value, (samples.Length + frame - 1) / frame);
        return words;

        void AddBurst(int firstFrame, int endFrame)
        {
            var from = firstFrame * frame;
            var to = Math.Min(endFrame * frame, samples.Length);
            var seconds = (to - from) / (double)sampleRate;
            if (seconds < 0.1) return;
            var crossings = 0;
            for (var i = from + 1; i < to; i++) if ((samples[i - 1] < 0) != (samples[i] < 0)) crossings++;
            var k = (int)Math.Round((crossings / (2 * seconds) - 200) / 40);
            words.Add(($"w{k}", Math.Round(from / (double)sampleRate, 3), Math.Round(to / (double)sampleRate, 3)));
        }
    }

    private static int IndexOf(byte[] haystack, ReadOnlySpan<byte> needle) => haystack.AsSpan().IndexOf(needle);
}

/// <summary>A request the fake server received: JSON body, or multipart fields and the uploaded file.</summary>
public sealed record ModelServerRequest(string Method, string Path, JsonElement? Json, IReadOnlyDictionary<string, string[]> Form, byte[]? File);

/// <summary>A scripted answer: status, body, and how long to wait before sending it.</summary>
public sealed record FakeReply(int Status, string Body, TimeSpan Delay = default, string ContentType = "application/json");
