using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Wisp.Hosting;

namespace Wisp.Extensions.Hosting;

/// <summary>
/// Runs the node for the host's lifetime. Start: the cluster (if configured), then the auto-start services in dependency
/// order, before the host's later services (an ASP.NET server) start, so a request finds them running; a required
/// service that does not start fails the host's start with its reason. Stop: services in reverse order, then hosts, as
/// <see cref="WispRuntime.ShutdownAsync()"/>; when the host's shutdown timeout passes first, whatever still runs is
/// terminated (<see cref="WispRuntime.ShutdownAsync(CancellationToken)"/>).
/// </summary>
internal sealed class WispNodeService(WispRuntime runtime, ILogger<WispNodeService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // The start is not abandoned on cancellation: services and the cluster join are bounded by their own timeouts,
        // and a shutdown that ran beside a half-done start could miss what the start adds.
        try
        {
            await runtime.StartAsync();
        }
        catch
        {
            await runtime.ShutdownAsync(cancellationToken);
            throw;
        }
        logger.LogInformation("wisp node {node} started", runtime.Node.Name.Length > 0 ? runtime.Node.Name : "(standalone)");
    }

    public Task StopAsync(CancellationToken cancellationToken) => runtime.ShutdownAsync(cancellationToken);
}
