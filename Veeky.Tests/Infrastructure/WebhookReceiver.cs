using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Veeky.Tests.Infrastructure;

/// <summary>
/// A webhook receiver on a free loopback port: records every POST with the time it arrived, checks its
/// <c>Veeky-Signature</c> with its own HMAC (not Veeky's code), and answers each request with the next scripted status
/// (500 for a receiver that fails first), 200 once the script is used up.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<int> _script = new();
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private WebApplication? _app;

    public Uri Url { get; private set; } = null!;

    /// <summary>Every request so far, the failed ones too, in order of arrival.</summary>
    public IReadOnlyList<ReceivedWebhook> Received => _received.ToArray();

    public static async Task<WebhookReceiver> StartAsync(params int[] firstAnswers)
    {
        var receiver = new WebhookReceiver();
        foreach (var status in firstAnswers)
        {
            receiver._script.Enqueue(status);
        }
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        receiver._app = builder.Build();
        receiver._app.MapPost("/hook", receiver.HandleAsync);
        await receiver._app.StartAsync();
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = new Uri(new Uri(address), "/hook");
        return receiver;
    }

    /// <summary>Waits until <paramref name="count"/> requests answered 2xx have arrived and returns them.</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAcceptedAsync(int count, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (Received.Count(r => r.Accepted) < count)
        {
            try
            {
                await _arrived.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{Received.Count(r => r.Accepted)} of {count} webhook deliveries arrived within {timeout}; "
                    + $"{Received.Count} requests in all.");
            }
        }
        return Received.Where(r => r.Accepted).ToList();
    }

    /// <summary>True when <paramref name="signature"/> is <c>t=..,v1=..</c> with the HMAC-SHA256 of "t.body" under the secret.</summary>
    public static bool IsSignedWith(string? signature, string body, string secret)
    {
        var parts = (signature ?? "").Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        if (!parts.TryGetValue("t", out var t) || !parts.TryGetValue("v1", out var v1) || !long.TryParse(t, out _))
        {
            return false;
        }
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{body}"));
        return CryptographicOperations.FixedTimeEquals(expected, Convert.FromHexString(v1));
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var status = _script.TryDequeue(out var scripted) ? scripted : 200;
        _received.Enqueue(new ReceivedWebhook(DateTimeOffset.UtcNow, context.Request.Headers["Veeky-Signature"].ToString(), body,
            status is >= 200 and < 300));
        context.Response.StatusCode = status;
        _arrived.Release();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        _arrived.Dispose();
    }
}

/// <summary>One request as the receiver got it.</summary>
public sealed record ReceivedWebhook(DateTimeOffset ArrivedAt, string Signature, string Body, bool Accepted)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
}
