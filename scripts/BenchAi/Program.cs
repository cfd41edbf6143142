// Measures the time Veeky's chat client adds around a model call: OllamaSharp's OllamaApiClient behind Veeky's
// ModelCallHandler (retries, deadline, errors) with Microsoft.Extensions.AI's OpenTelemetry and logging layers (request
// building, image base64, serialisation, response parsing) against a raw HttpClient POST of the same bytes, both
// against a local server that answers as Ollama's /api/chat does after a fixed delay.
//
//   dotnet run -c Release --project scripts/bench-ai [calls=500] [latencyMs=300] [parallel=25]
using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Veeky.AI;

var calls = args.Length > 0 ? int.Parse(args[0]) : 500;
var latency = TimeSpan.FromMilliseconds(args.Length > 1 ? int.Parse(args[1]) : 300);
var parallel = args.Length > 2 ? int.Parse(args[2]) : 25;

// A caption request as the enrich stage makes it: a system prompt, a question and a 60 kB keyframe.
var keyframe = new byte[60_000];
new Random(7).NextBytes(keyframe);
const string answer = """
    {"model":"llava","created_at":"2024-12-01T10:00:00Z","message":{"role":"assistant","content":"A red car parked in a busy city street at dusk, with people crossing in front of it."},"done":true,"done_reason":"stop","total_duration":5191566416,"load_duration":2154458,"prompt_eval_count":620,"prompt_eval_duration":383809000,"eval_count":22,"eval_duration":4799921000}
    """;

var currentLatency = TimeSpan.Zero;
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
var app = builder.Build();
app.MapPost("/api/chat", async (HttpContext context) =>
{
    // Read the whole body, as Ollama does, so both clients pay for sending it.
    await context.Request.Body.CopyToAsync(Stream.Null);
    if (currentLatency > TimeSpan.Zero) await Task.Delay(currentLatency);
    context.Response.ContentType = "application/json; charset=utf-8";
    await context.Response.WriteAsync(answer);
});
await app.StartAsync();
var endpoint = new Uri(app.Urls.First());

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { Timeout = Timeout.InfiniteTimeSpan };
using var transport = new SocketsHttpHandler { MaxConnectionsPerServer = 256 };
var client = OllamaModelClients.CreateChatClient(new ModelConnection(endpoint, "llava"), new OllamaChatClientOptions(), transport);
List<ChatMessage> Messages() =>
[
    new(ChatRole.System, "You describe video keyframes in one factual sentence."),
    new(ChatRole.User, [new TextContent("Describe this keyframe."), new DataContent(keyframe, "image/jpeg")]),
];
var options = new ChatOptions { Temperature = 0.2f, MaxOutputTokens = 120 };

// The raw baseline sends the exact bytes Veeky would send, prepared once, and only reads the answer as a string.
var rawPayload = Encoding.UTF8.GetBytes($$$"""
    {"model":"llava","messages":[{"role":"system","content":"You describe video keyframes in one factual sentence."},{"role":"user","content":"Describe this keyframe.","images":["{{{Convert.ToBase64String(keyframe)}}}"]}],"stream":false,"options":{"temperature":0.2,"num_predict":120}}
    """);
var chatUri = new Uri(endpoint, "api/chat");
async Task Raw()
{
    using var content = new ByteArrayContent(rawPayload);
    content.Headers.ContentType = new("application/json");
    using var response = await http.PostAsync(chatUri, content);
    response.EnsureSuccessStatusCode();
    await response.Content.ReadAsStringAsync();
}
async Task Veeky() => await client.GetResponseAsync(Messages(), options);
// OllamaSharp on its own (no Veeky rules, no telemetry or logging layers): splits the overhead between library and Veeky.
using var bare = new OllamaSharp.OllamaApiClient(new HttpClient(transport, disposeHandler: false) { BaseAddress = endpoint, Timeout = Timeout.InfiniteTimeSpan }, "llava");
async Task Library() => await ((IChatClient)bare).GetResponseAsync(Messages(), options);
// OllamaSharp behind ModelCallHandler only (no telemetry or logging layers): splits Veeky's part between its rules and the layers.
using var handled = new OllamaSharp.OllamaApiClient(new HttpClient(
    new ModelCallHandler(new ModelConnection(endpoint, "llava"), new OllamaChatClientOptions(), isOllama: true, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance)
    { InnerHandler = transport }) { BaseAddress = endpoint, Timeout = Timeout.InfiniteTimeSpan }, "llava");
async Task Handler() => await ((IChatClient)handled).GetResponseAsync(Messages(), options);

async Task<double> MeanMicrosecondsAsync(Func<Task> call, int count, int concurrency)
{
    var total = 0L;
    var next = 0;
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        while (Interlocked.Increment(ref next) <= count)
        {
            var start = Stopwatch.GetTimestamp();
            await call();
            Interlocked.Add(ref total, Stopwatch.GetTimestamp() - start);
        }
    }));
    return total * 1_000_000.0 / Stopwatch.Frequency / count;
}

// Wall and process CPU time per call of sequential calls: CPU time is what to read on a machine shared with other work.
async Task<(double Wall, double Cpu)> SequentialAsync(Func<Task> call, int count)
{
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var wall = await MeanMicrosecondsAsync(call, count, 1);
    return (wall, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / count);
}
static (double, double) Add((double Wall, double Cpu) sum, (double Wall, double Cpu) next, int rounds) =>
    (sum.Wall + next.Wall / rounds, sum.Cpu + next.Cpu / rounds);

Console.WriteLine($"Fake Ollama at {endpoint}; request body {rawPayload.Length / 1024} kB (60 kB keyframe as base64).");

// Per-call overhead with no model latency: sequential, after warm-up, alternating rounds to even out noise.
for (var i = 0; i < 200; i++) { await Raw(); await Veeky(); await Library(); await Handler(); }
double raw0 = 0, veeky0 = 0, library0 = 0, handler0 = 0;
double rawCpu = 0, veekyCpu = 0, libraryCpu = 0, handlerCpu = 0;
const int rounds = 4, zeroCalls = 1000;
for (var round = 0; round < rounds; round++)
{
    (raw0, rawCpu) = Add((raw0, rawCpu), await SequentialAsync(Raw, zeroCalls), rounds);
    (veeky0, veekyCpu) = Add((veeky0, veekyCpu), await SequentialAsync(Veeky, zeroCalls), rounds);
    (library0, libraryCpu) = Add((library0, libraryCpu), await SequentialAsync(Library, zeroCalls), rounds);
    (handler0, handlerCpu) = Add((handler0, handlerCpu), await SequentialAsync(Handler, zeroCalls), rounds);
}
Console.WriteLine($"0 ms model latency, {rounds * zeroCalls} sequential calls each, wall µs/call (process CPU µs/call, server side included):");
Console.WriteLine($"  raw HttpClient                          {raw0,7:0} ({rawCpu:0})");
Console.WriteLine($"  OllamaSharp alone                       {library0,7:0} ({libraryCpu:0})");
Console.WriteLine($"  OllamaSharp + ModelCallHandler          {handler0,7:0} ({handlerCpu:0})");
Console.WriteLine($"  Veeky's chat client (+ telemetry, log)  {veeky0,7:0} ({veekyCpu:0})");
Console.WriteLine($"Veeky's overhead {veeky0 - raw0:0} µs/call ({veekyCpu - rawCpu:0} CPU), of which OllamaSharp alone {library0 - raw0:0} ({libraryCpu - rawCpu:0} CPU), " +
                  $"ModelCallHandler {handler0 - library0:0} ({handlerCpu - libraryCpu:0} CPU), telemetry and logging layers {veeky0 - handler0:0} ({veekyCpu - handlerCpu:0} CPU).");

// The same at a realistic caption latency, with parallel workers as a busy pipeline would run them.
currentLatency = latency;
var rawL = await MeanMicrosecondsAsync(Raw, calls, parallel);
var veekyL = await MeanMicrosecondsAsync(Veeky, calls, parallel);
var overhead = veekyL - rawL;
Console.WriteLine($"{latency.TotalMilliseconds:0} ms model latency, {calls} calls, {parallel} in parallel: raw {rawL / 1000:0.00} ms/call, " +
                  $"Veeky's chat client {veekyL / 1000:0.00} ms/call, overhead {overhead / 1000:0.000} ms = {overhead / latency.TotalMicroseconds * 100:0.00}% of the model latency.");
Console.WriteLine($"Overhead measured without latency, as a share of {latency.TotalMilliseconds:0} ms: {(veeky0 - raw0) / latency.TotalMicroseconds * 100:0.000}%.");

await app.StopAsync();
