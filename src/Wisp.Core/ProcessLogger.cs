using System.Collections;
using Microsoft.Extensions.Logging;

namespace Wisp;

/// <summary>Wraps a logger so that every entry is logged inside a scope carrying the process's PID.</summary>
internal sealed class ProcessLogger(ILogger inner, Pid pid) : ILogger
{
    private readonly PidScope _scope = new(pid.ToString());

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!inner.IsEnabled(logLevel)) return;
        using (inner.BeginScope(_scope)) inner.Log(logLevel, eventId, state, exception, formatter);
    }

    /// <summary>The scope: a structured <c>pid</c> field for structured sinks, <c>pid={...}</c> for text ones.</summary>
    private sealed class PidScope(string pid) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private readonly KeyValuePair<string, object?> _field = new("pid", pid);

        public int Count => 1;
        public KeyValuePair<string, object?> this[int index] => index == 0 ? _field : throw new ArgumentOutOfRangeException(nameof(index));
        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() { yield return _field; }
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
        public override string ToString() => $"pid={_field.Value}";
    }
}
