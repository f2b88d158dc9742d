using Microsoft.Extensions.Logging;

namespace Wisp.Testing;

/// <summary>Every log entry of a node, as text with its scopes (the PID), for assertions and failure messages.</summary>
internal sealed class CapturedLogs : ILoggerFactory
{
    private readonly List<string> _lines = [];
    private readonly LoggerExternalScopeProvider _scopes = new();

    private readonly List<Exception> _exceptions = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines) return [.. _lines];
        }
    }

    /// <summary>The exceptions logged with the entries.</summary>
    public IReadOnlyList<Exception> Exceptions
    {
        get
        {
            lock (_lines) return [.. _exceptions];
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);
    public void AddProvider(ILoggerProvider provider) { }
    public void Dispose() { }

    public override string ToString() => string.Join("\n", Lines);

    private sealed class Logger(CapturedLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => logs._scopes.Push(state);
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new List<string>();
            logs._scopes.ForEachScope((scope, list) => list.Add(scope?.ToString() ?? ""), scopes);
            var suffix = scopes.Count > 0 ? " => " + string.Join(" ", scopes) : "";
            lock (logs._lines)
            {
                logs._lines.Add($"{logLevel} {category}: {formatter(state, exception)}{suffix}");
                if (exception is not null) logs._exceptions.Add(exception);
            }
        }
    }
}
