namespace Wisp.Cluster.Tests;

/// <summary>A cluster with a shared secret: its nodes talk mutual TLS, a node without the secret is refused.</summary>
public class SecretTests
{
    private static ClusterOptions WithSecret(string? secret) =>
        new() { NodeName = "x", Listen = "127.0.0.1:0", Secret = secret, JoinTimeout = TimeSpan.FromSeconds(3) };

    [Theory]
    [InlineData("another secret of the right length")]
    [InlineData(null)]
    public async Task Nodes_with_the_secret_work_together_and_a_node_without_it_is_refused(string? intruderSecret)
    {
        const string secret = "the cluster's shared secret";
        await using var cluster = new ClusterHarness();
        var a = await cluster.Start("a", WithSecret(secret));
        var b = await cluster.Start("b", WithSecret(secret));
        await cluster.Connected();
        var echo = b.Node.Spawn(ClusterHarness.HostId, async c =>
        {
            var (m, _) = await c.Inbox.Receive();
            c.Send(m.From, "pong");
            return null;
        });
        var pong = new TaskCompletionSource<string>();
        a.Node.Spawn(ClusterHarness.HostId, async c =>
        {
            c.Send(echo, "ping");
            pong.SetResult((await c.Inbox.Receive()).Value.Topic);
            return null;
        });
        Assert.Equal("pong", await pong.Task.WaitAsync(ClusterHarness.Deadline));

        var node = new Node(ClusterNode.NodeOptions("intruder"));
        node.AddHost(ClusterHarness.HostId);
        await using var intruder = await ClusterNode.StartAsync(node, WithSecret(intruderSecret) with { NodeName = "intruder", Seeds = [a.Cluster.Address] });
        Assert.False(intruder.IsUp);
        Assert.Empty(intruder.Peers);
        Assert.Equal(["b"], a.Cluster.Peers);
        Assert.Throws<WispException>(() => node.Send(new Pid("a", ClusterHarness.HostId, 1), "x", null));
    }
}

/// <summary>A peer that sends a frame Wisp cannot read is not a peer: it is downed, with the reason logged, and its envelopes are not delivered.</summary>
public class MalformedFrameTests
{
    [Fact]
    public async Task A_malformed_frame_gets_its_sender_downed()
    {
        await using var cluster = new ClusterHarness();
        var a = await cluster.Start("a");
        var b = await cluster.Start("b");
        await cluster.Connected();
        var endpoint = await b.Cluster.Engine.System.ActorSelection(
            new Akka.Actor.RootActorPath(a.Cluster.Engine.Cluster.SelfAddress) / "user" / "wisp").ResolveOne(ClusterHarness.Deadline);
        endpoint.Tell(new byte[] { 1, 0x92, 0x00, 0xc1 }, b.Cluster.Engine.System.ActorOf(Akka.Actor.Props.Empty));   // a batch whose envelope is cut short
        await ClusterHarness.Until(() => !a.Cluster.Peers.Contains("b") || b.Cluster.Rejoins > 0);
        Assert.Equal(0, a.Node.Remote.DeliveryFailures);   // nothing of it was taken for an envelope
    }
}
