using Wisp.Cluster;
using Wisp.Hosting;
using Wisp.Hosting.Inspection;

namespace Wisp.Cli.Tests;

/// <summary>On a cluster, one node's endpoint shows every node: the peers' responders answer its gathering.</summary>
public sealed class ClusterTopTests
{
    [Fact]
    public async Task One_nodes_top_shows_both_nodes_processes_and_services_with_a_node_column()
    {
        var ports = FreePorts(2);
        string[] seeds = [$"127.0.0.1:{ports[0]}", $"127.0.0.1:{ports[1]}"];
        var socket = WatchedNode.UniquePath(".sock");
        await using var a = Clustered("a", ports[0], seeds, socket);
        await using var b = Clustered("b", ports[1], seeds, socket: null);
        await Task.WhenAll(a.StartAsync(), b.StartAsync()).WaitAsync(WatchedNode.Deadline);

        await using var client = await InspectionClient.ConnectAsync(socket);
        using var deadline = new CancellationTokenSource(WatchedNode.Deadline);
        ClusterView view;
        // b's responder is found by its EVENTUAL name once the names have spread: until then b is missing.
        while ((view = await client.ClusterAsync()).Nodes.Count < 2)
        {
            if (deadline.IsCancellationRequested) Assert.Fail($"a's view never held b: missing {string.Join(", ", view.Missing)}");
            await Task.Delay(50);
        }

        var frame = WatchedNode.Render(view, TopOrder.Pid);
        Assert.Equal(["a", "b"], view.Nodes.Select(n => n.Node));
        foreach (var (runtime, node) in new[] { (a, "a"), (b, "b") })
        {
            var relay = runtime.Node.Registry.Lookup("relay")!.Value.ToString();
            Assert.StartsWith($"{{{node}@app:processes|", relay);
            Assert.Equal("app:relay", WatchedNode.Row(frame, node, relay)[2]);
            Assert.Contains($"node {node}   up ", frame);
        }
        foreach (var (runtime, node) in new[] { (a, "a"), (b, "b") })
            Assert.Equal(["Running", "0", runtime.Node.Registry.Lookup("relay")!.Value.ToString()],
                WatchedNode.Row(frame, node, "app:relay-service", "Running")[2..]);
    }

    private static WispRuntime Clustered(string name, int port, string[] seeds, string? socket)
    {
        var cluster = new ClusterExtension(new ClusterOptions { NodeName = name, Listen = $"127.0.0.1:{port}", Seeds = seeds });
        var options = cluster.ForRuntime(new WispRuntimeOptions
        {
            SourceDirectory = Path.Combine(AppContext.BaseDirectory, "src"),
            Assemblies = [typeof(EchoService.Relay).Assembly],
        });
        List<INodeExtension> inspection = [new InspectionResponder()];
        if (socket is not null) inspection.Add(new InspectionEndpoint(socket, () => cluster.Cluster?.Peers ?? []));
        return WispRuntime.Load(options with { Extensions = [.. options.Extensions, .. inspection] });
    }

    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0)).ToList();
        foreach (var listener in listeners) listener.Start();
        var ports = listeners.Select(l => ((System.Net.IPEndPoint)l.LocalEndpoint).Port).Order().ToArray();
        foreach (var listener in listeners) listener.Stop();
        return ports;
    }
}
