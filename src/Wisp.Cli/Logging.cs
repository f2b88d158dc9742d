using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Wisp.Cli;

/// <summary>The console logging of <c>run</c>: on stderr, one line per entry, with its scopes (the PID).</summary>
internal static class Logging
{
    public static ILoggerFactory Create(LogLevel minimum)
    {
        if (minimum == LogLevel.None) return NullLoggerFactory.Instance;
        return LoggerFactory.Create(builder => builder
            .SetMinimumLevel(minimum)
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.IncludeScopes = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            })
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
    }
}
