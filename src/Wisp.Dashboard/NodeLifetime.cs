using Microsoft.Extensions.Hosting;

namespace Wisp.Dashboard;

/// <summary>
/// The web server's lifetime is the node's: it starts and stops with the extension, and leaves Ctrl+C and SIGTERM to
/// whoever runs the node (the console lifetime would take them).
/// </summary>
internal sealed class NodeLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
