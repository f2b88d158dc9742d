namespace Wisp.Cluster.Tests;

/// <summary>Two nodes of one test process on the real engine: messages, monitors and the loss of a node.</summary>
public class TwoNodeTests
{
    [Fact]
    public async Task A_node_is_up_as_soon_as_its_start_returns()
    {
        await using var cluster = new ClusterHarness();
        var a = await cluster.Start("a");
        Assert.True(a.Cluster.IsUp, "the founding node");
        var b = await cluster.Start("b");
        Assert.True(b.Cluster.IsUp, "a joining node");
    }

    [Fact]
    public async Task Messages_and_exits_cross_between_two_nodes()
    {
        await using var cluster = new ClusterHarness();
        var a = await cluster.Start("a");
        var b = await cluster.Start("b");
        await cluster.Connected();
        var received = new Probe<Message>();
        var echo = b.Node.Spawn(ClusterHarness.HostId, async c =>
        {
            while (true)
            {
                var (m, _) = await c.Inbox.Receive();
                received.Put(m);
                if (m.Topic == "stop") return "stopped";
                c.Send(m.From, "echo", m.Payload<object>());
            }
        });
        var result = new TaskCompletionSource<object?>();
        a.Node.Spawn(ClusterHarness.HostId, async c =>
        {
            c.Monitor(echo);
            for (long i = 0; i < 100; i++)
            {
                c.Send(echo, "ping", new PayloadMap([new("i", i)]));
                var (reply, _) = await c.Inbox.Receive();
                Assert.Equal(i, reply.Payload<PayloadMap>()["i"]);
            }
            c.Send(echo, "stop");
            var (exit, _) = await c.Events.Receive();
            result.SetResult(exit.Result!.Value);
            return null;
        });
        Assert.Equal("stopped", await result.Task.WaitAsync(ClusterHarness.Deadline));
        Assert.Equal("a", (await received.Take()).From.Node);
    }

    [Fact]
    public async Task The_loss_of_a_node_reaches_its_watchers_as_node_unreachable()
    {
        await using var cluster = new ClusterHarness();
        var a = await cluster.Start("a");
        var b = await cluster.Start("b");
        await cluster.Connected();
        var target = b.Node.Spawn(ClusterHarness.HostId, c => c.NewChannel<int>().Receive().AsTask().ContinueWith(_ => (object?)null));
        var watching = new TaskCompletionSource();
        var exit = new TaskCompletionSource<ProcessEvent>();
        a.Node.Spawn(ClusterHarness.HostId, async c =>
        {
            c.Monitor(target);
            watching.SetResult();
            var (ev, _) = await c.Events.Receive();
            exit.SetResult(ev);
            return null;
        });
        await watching.Task.WaitAsync(ClusterHarness.Deadline);
        await b.Cluster.AbortAsync();
        var lost = await exit.Task.WaitAsync(ClusterHarness.Deadline);
        Assert.Equal(target, lost.From);
        Assert.StartsWith("node b unreachable", lost.Result!.Error!.Message);
    }
}

/// <summary>A node restarted (a new incarnation, its ids from 1 again): PIDs of its earlier life are refused everywhere.</summary>
public class IncarnationTests
{
    [Fact]
    public async Task A_PID_of_a_restarted_nodes_earlier_life_is_refused_and_never_reaches_the_new_process()
    {
        var ports = ClusterHarness.FreePorts(2);
        await using var cluster = new ClusterHarness();
        var a = await cluster.Start("a", port: ports[0]);
        var b = await cluster.Start("b", port: ports[1]);
        await cluster.Connected();
        var old = b.Node.Spawn(ClusterHarness.HostId, c => c.NewChannel<int>().Receive().AsTask().ContinueWith(_ => (object?)null));
        await b.Cluster.AbortAsync();

        // b again, on the same address, with a new creation: its first process gets the same id as the old one.
        var node = new Node(ClusterNode.NodeOptions("b"));
        node.AddHost(ClusterHarness.HostId);
        await using var reborn = await ClusterNode.StartAsync(node,
            new ClusterOptions { NodeName = "b", Listen = $"127.0.0.1:{ports[1]}", Seeds = [a.Cluster.Address], JoinTimeout = ClusterHarness.Deadline });
        var received = new Probe<string>();
        var fresh = node.Spawn(ClusterHarness.HostId, async c =>
        {
            while (true) received.Put((await c.Inbox.Receive()).Value.Topic);
        });
        Assert.Equal(old.Id, fresh.Id);
        await ClusterHarness.Until(() => a.Node.Remote.IsAttached && a.Cluster.Engine.Directory.CreationOf("b") == node.Creation);

        var errors = new TaskCompletionSource<string[]>();
        a.Node.Spawn(ClusterHarness.HostId, c =>
        {
            var send = Assert.Throws<WispException>(() => c.Send(old, "stale"));
            var monitor = Assert.Throws<WispException>(() => c.Monitor(old));
            c.Send(fresh, "fresh");
            errors.SetResult([send.Message, monitor.Message]);
            return Task.FromResult<object?>(null);
        });
        Assert.Equal([$"process not found: {old}", $"pid not registered: {old}"], await errors.Task.WaitAsync(ClusterHarness.Deadline));
        Assert.Equal("fresh", await received.Take());
    }
}
