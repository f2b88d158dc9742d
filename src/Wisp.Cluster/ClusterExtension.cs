using Wisp.Hosting;

namespace Wisp.Cluster;

/// <summary>
/// Joins a runtime's node to a cluster before its services start, and leaves after its hosts stopped: add it to
/// <see cref="WispRuntimeOptions.Extensions"/>, with the node's name and a creation in the runtime options
/// (<see cref="ForRuntime"/> sets both). A failure to start (a port in use, bad options) is an Unavailable or Invalid
/// error the command prints.
/// </summary>
public sealed class ClusterExtension(ClusterOptions options) : INodeExtension
{
    private ClusterNode? _cluster;

    public ClusterOptions Options { get; } = options;

    /// <summary>The running membership, once started.</summary>
    public ClusterNode? Cluster => _cluster;

    /// <summary>Runtime options for a node of this cluster: its name, a new creation, its hosts' scheduler (<see cref="ClusterNode.SchedulerFor"/>) and this extension.</summary>
    public WispRuntimeOptions ForRuntime(WispRuntimeOptions runtime) => runtime with
    {
        NodeName = Options.NodeName,
        Creation = ClusterNode.NewCreation(),
        SchedulerFactory = ClusterNode.SchedulerFor,
        Extensions = [.. runtime.Extensions, this],
    };

    public async Task StartAsync(WispRuntime runtime, CancellationToken cancellation)
    {
        try
        {
            _cluster = await ClusterNode.StartAsync(runtime.Node, Options, cancellation);
        }
        catch (Exception e) when (e is not (WispException or OperationCanceledException))
        {
            throw new WispException(ErrorKind.Unavailable, $"cluster: node {Options.NodeName} cannot start on {Options.Listen}: {e.GetBaseException().Message}", e);
        }
    }

    public async ValueTask StopAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
    }
}
