namespace Wisp.Cluster.Tests;

/// <summary>Two nodes of one test process on the real engine: messages, monitors and the loss of a node.</summary>
public class TwoNodeTests
{
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
