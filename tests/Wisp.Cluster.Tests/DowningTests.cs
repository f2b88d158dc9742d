namespace Wisp.Cluster.Tests;

/// <summary>Downing: the survivor of a 2-node cluster keeps running, whichever node was lost.</summary>
public class DowningTests
{
    [Fact]
    public async Task The_younger_survivor_of_two_nodes_stays_up_and_takes_a_new_node()
    {
        // a is the oldest and has the lower address: Akka's keep-majority and keep-oldest would both down b here.
        var ports = ClusterHarness.FreePorts(2);
        await using var cluster = new ClusterHarness();
        var a = await cluster.Start("a", port: ports[0]);
        var b = await cluster.Start("b", port: ports[1]);
        await cluster.Connected();
        await a.Cluster.Crash();
        // Once a is downed and removed, b must still be up; a node that joins b then proves it (a downed b refuses it).
        await ClusterHarness.Until(() => b.Cluster.MemberCount == 1 || !b.Cluster.IsUp);
        Assert.True(b.Cluster.IsUp, "b was downed with a");
        var node = new Node(new NodeOptions { Name = "c", Creation = ClusterNode.NewCreation() });
        node.AddHost(ClusterHarness.HostId);
        await using var c = await ClusterNode.StartAsync(node, new ClusterOptions { NodeName = "c", Listen = "127.0.0.1:0", Seeds = [b.Cluster.Address], JoinTimeout = ClusterHarness.Deadline });
        await ClusterHarness.Until(() => c.Peers.Contains("b") && b.Cluster.Peers.Contains("c"));
        Assert.True(b.Cluster.IsUp);
    }
}
