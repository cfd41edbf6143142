using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Veeky.Tests.Infrastructure;

/// <summary>Collects the formatted messages of warnings and errors a host logs.</summary>
public sealed class ApiLogSink : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _messages = new();
    private readonly ConcurrentQueue<Exception> _exceptions = new();

    public IReadOnlyList<string> Messages => _messages.ToList();

    /// <summary>Exceptions logged with those messages: each would print a stack trace.</summary>
    public IReadOnlyList<Exception> Exceptions => _exceptions.ToList();

    public ILogger CreateLogger(string categoryName) => new SinkLogger(_messages, _exceptions);

    public void Dispose()
    {
    }

    private sealed class SinkLogger(ConcurrentQueue<string> messages, ConcurrentQueue<Exception> exceptions) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                messages.Enqueue(formatter(state, exception));
                if (exception is not null)
                {
                    exceptions.Enqueue(exception);
                }
            }
        }
    }
}

/// <summary>An <see cref="ApiFactory"/> whose logs also go to an <see cref="ApiLogSink"/>.</summary>
public sealed class LoggingApiFactory(ApiLogSink sink, IReadOnlyDictionary<string, string?>? settings = null)
    : ApiFactory(settings: settings)
{
    protected override void ConfigureTestServices(IWebHostBuilder builder) =>
        builder.ConfigureTestServices(services => services.AddSingleton<ILoggerProvider>(sink));
}
