using Microsoft.Extensions.Logging;

namespace Wisp;

/// <summary>Wraps a logger so that every entry is logged inside a scope carrying the process's PID.</summary>
internal sealed class ProcessLogger(ILogger inner, Pid pid) : ILogger
{
    private readonly KeyValuePair<string, object?>[] _scope = [new("pid", pid.ToString())];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!inner.IsEnabled(logLevel)) return;
        using (inner.BeginScope(_scope)) inner.Log(logLevel, eventId, state, exception, formatter);
    }
}
