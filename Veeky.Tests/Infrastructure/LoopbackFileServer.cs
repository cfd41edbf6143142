using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Veeky.Tests.Infrastructure;

/// <summary>
/// A real HTTP server on 127.0.0.1 serving files a test registers (<see cref="Serve"/>), for imports by URL. Anything
/// else is 404. A file served <c>chunked</c> announces no length, so only the importer's own count can stop it.
/// </summary>
public sealed class LoopbackFileServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, (byte[] Body, bool Chunked, TimeSpan Pause, int? StallAfter)> _files = new();
    private const int Piece = 64 * 1024;
    private WebApplication? _app;

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<LoopbackFileServer> StartAsync()
    {
        var server = new LoopbackFileServer();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        server._app = builder.Build();
        server._app.Run(server.HandleAsync);
        await server._app.StartAsync();
        var address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address.Replace("[::1]", "127.0.0.1"));
        return server;
    }

    /// <summary>Serves <paramref name="body"/> at <paramref name="path"/>; its full URL. With <paramref name="pause"/>
    /// the body goes out in 64 KiB pieces with that pause between them, a slow server whose progress can be watched.
    /// With <paramref name="stallAfter"/> only that many bytes go out, then nothing, the connection held open until the
    /// client gives up: a server that hung mid-body.</summary>
    public Uri Serve(string path, byte[] body, bool chunked = false, TimeSpan pause = default, int? stallAfter = null)
    {
        _files[path] = (body, chunked, pause, stallAfter);
        return new Uri(BaseAddress, path);
    }

    /// <summary>A URL of this server that answers 404.</summary>
    public Uri Missing(string path) => new(BaseAddress, path);

    private async Task HandleAsync(HttpContext context)
    {
        if (!_files.TryGetValue(context.Request.Path.Value ?? "", out var file))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        context.Response.ContentType = "video/mp4";
        if (!file.Chunked)
        {
            context.Response.ContentLength = file.Body.Length;
        }
        if (file.StallAfter is { } sent)
        {
            await context.Response.Body.WriteAsync(file.Body.AsMemory(0, sent), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The client hung up, as it should.
            }
            return;
        }
        if (file.Pause <= TimeSpan.Zero)
        {
            await context.Response.Body.WriteAsync(file.Body, context.RequestAborted);
            return;
        }
        for (var offset = 0; offset < file.Body.Length; offset += Piece)
        {
            await context.Response.Body.WriteAsync(file.Body.AsMemory(offset, Math.Min(Piece, file.Body.Length - offset)), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(file.Pause, context.RequestAborted);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
