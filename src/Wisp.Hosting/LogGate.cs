using Microsoft.Extensions.Logging;

namespace Wisp.Hosting;

/// <summary>
/// The runtime's loggers, with a switch: a <c>terminal.host</c> with <c>hide_logs: true</c> closes it while its
/// process runs (the terminal is the user's, as in the seed's runtime) and opens it again when that process
/// ends. Every logger the node and its processes make goes through here, so one switch silences them all.
/// </summary>
internal sealed class LogGate(ILoggerFactory inner) : ILoggerFactory
{
    private volatile bool _closed;

    /// <summary>Silences every logger until <see cref="Open"/>.</summary>
    public void Close() => _closed = true;

    public void Open() => _closed = false;

    public ILogger CreateLogger(string categoryName) => new GatedLogger(inner.CreateLogger(categoryName), this);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    /// <summary>The factory belongs to whoever made it (the command line): not disposed here.</summary>
    public void Dispose() { }

    private sealed class GatedLogger(ILogger inner, LogGate gate) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => !gate._closed && inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            if (!gate._closed) inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
