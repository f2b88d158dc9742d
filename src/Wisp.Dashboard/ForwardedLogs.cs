using Microsoft.Extensions.Logging;

namespace Wisp.Dashboard;

/// <summary>Hands the web server's loggers to the node's logger factory, so its logs go where the node's go.</summary>
internal sealed class ForwardedLogs(ILoggerFactory factory) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => factory.CreateLogger(categoryName);
    public void Dispose() { }
}
