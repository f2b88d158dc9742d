namespace Wisp.Cluster.Tests;

/// <summary>Downing: the survivor of a 2-node cluster keeps running, whichever node was lost.</summary>
public class DowningTests
{
    [Fact]
    public async Task The_younger_survivor_of_two_nodes_stays_up_and_takes_a_new_node()
    {
        // a is the oldest and has the lower address: Akka's keep-majority and keep-oldest would both down b here.
        // b looks often whether it is cut off: alone, with its seed a not listening, it must keep its cluster, not restart to rejoin a.
        var ports = ClusterHarness.FreePorts(2);
        var tuning = new ClusterOptions { NodeName = "x", Listen = "127.0.0.1:0", RejoinInterval = TimeSpan.FromMilliseconds(200) };
        await using var cluster = new ClusterHarness();
        var a = await cluster.Start("a", tuning, port: ports[0]);
        var b = await cluster.Start("b", tuning, port: ports[1]);
        await cluster.Connected();
        await a.Cluster.AbortAsync();
        // Once a is downed and removed, b must still be up; a node that joins b then proves it (a downed b refuses it).
        await ClusterHarness.Until(() => b.Cluster.MemberCount == 1 || !b.Cluster.IsUp);
        Assert.True(b.Cluster.IsUp, "b was downed with a");
        var node = new Node(ClusterNode.NodeOptions("c"));
        node.AddHost(ClusterHarness.HostId);
        await using var c = await ClusterNode.StartAsync(node, new ClusterOptions { NodeName = "c", Listen = "127.0.0.1:0", Seeds = [b.Cluster.Address], JoinTimeout = ClusterHarness.Deadline });
        await ClusterHarness.Until(() => c.Peers.Contains("b") && b.Cluster.Peers.Contains("c"));
        Assert.True(b.Cluster.IsUp);
        Assert.Equal(0, b.Cluster.Rejoins);
    }
}

/// <summary>A node cut off from its cluster (downed by its peers) starts its engine again and rejoins, keeping its processes and names.</summary>
public class RejoinTests
{
    [Fact]
    public async Task A_node_downed_by_its_peers_rejoins_with_its_processes_and_names()
    {
        var tuning = new ClusterOptions { NodeName = "x", Listen = "127.0.0.1:0", RejoinInterval = TimeSpan.FromSeconds(1) };
        await using var cluster = new ClusterHarness();
        var a = await cluster.Start("a", tuning);
        var b = await cluster.Start("b", tuning);
        await cluster.Connected();
        var received = new Probe<string>();
        var named = new TaskCompletionSource<Pid>();
        b.Node.Spawn(ClusterHarness.HostId, async c =>
        {
            c.Registry.Register("service", RegistryScope.Eventual);
            named.SetResult(c.Pid);
            while (true) received.Put((await c.Inbox.Receive()).Value.Topic);
        });
        var service = await named.Task.WaitAsync(ClusterHarness.Deadline);
        await ClusterHarness.Until(() => a.Node.Registry.Lookup("service") == service);

        a.Cluster.Engine.Cluster.Down(b.Cluster.Engine.Cluster.SelfAddress);   // as after a pause longer than the failure detector's bound

        // b starts a new engine, and a knows that one (not b's first) as its peer b.
        await ClusterHarness.Until(() => b.Cluster.Rejoins > 0 && b.Cluster.Peers.Contains("a")
            && a.Cluster.Engine.Directory.Find("b") is { Reachable: true } peer && peer.Member.Equals(b.Cluster.Engine.Cluster.SelfUniqueAddress));
        await ClusterHarness.Until(() => a.Node.Registry.Lookup("service") == service);   // the same process, its name written again
        a.Node.Spawn(ClusterHarness.HostId, c =>
        {
            c.Send("service", "after the rejoin");
            return Task.FromResult<object?>(null);
        });
        Assert.Equal("after the rejoin", await received.Take());
    }
}

/// <summary>A cut network between two nodes (every connection through a proxy, then the proxies cut): both sides hear of the other's loss; restored, they work together again.</summary>
public class CutConnectionTests
{
    [Fact]
    public async Task A_cut_connection_is_a_loss_on_both_sides_and_the_nodes_find_each_other_again()
    {
        var ports = ClusterHarness.FreePorts(4);   // a, b, and the proxy in front of each
        await using var proxyA = new TcpProxy(ports[2], ports[0]);
        await using var proxyB = new TcpProxy(ports[3], ports[1]);
        var tuning = new ClusterOptions { NodeName = "x", Listen = "127.0.0.1:0", RejoinInterval = TimeSpan.FromSeconds(1) }.Fast();
        await using var cluster = new ClusterHarness();
        var a = await cluster.Start("a", tuning with { Advertise = $"127.0.0.1:{ports[2]}" }, port: ports[0]);
        var b = await cluster.Start("b", tuning with { Advertise = $"127.0.0.1:{ports[3]}" }, port: ports[1]);
        await cluster.Connected();
        var onB = b.Node.Spawn(ClusterHarness.HostId, async c =>
        {
            while (true)
            {
                var (m, _) = await c.Inbox.Receive();
                c.Send(m.From, "pong");
            }
        });
        var lost = new TaskCompletionSource<ProcessEvent>();
        a.Node.Spawn(ClusterHarness.HostId, async c =>
        {
            c.Monitor(onB);
            lost.SetResult((await c.Events.Receive()).Value);
            return null;
        });
        await ClusterHarness.Until(() => a.Cluster.Peers.Contains("b"));

        proxyA.Cut();
        proxyB.Cut();
        var exit = await lost.Task.WaitAsync(ClusterHarness.Deadline);
        Assert.StartsWith("node b unreachable", exit.Result!.Error!.Message);
        await ClusterHarness.Until(() => !a.Cluster.Peers.Contains("b") && !b.Cluster.Peers.Contains("a"));

        proxyA.Restore();
        proxyB.Restore();
        await ClusterHarness.Until(() => a.Cluster.Peers.Contains("b") && b.Cluster.Peers.Contains("a"));
        var pong = new TaskCompletionSource<string>();
        a.Node.Spawn(ClusterHarness.HostId, async c =>
        {
            c.Send(onB, "ping");
            pong.SetResult((await c.Inbox.Receive()).Value.Topic);
            return null;
        });
        Assert.Equal("pong", await pong.Task.WaitAsync(ClusterHarness.Deadline));
    }
}
