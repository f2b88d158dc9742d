namespace Wisp.Tests;

/// <summary>
/// Processes of different nodes through the core's remote seam (RemoteNodes, RemoteWatches), on an in-memory
/// transport that keeps the transport contract: sends, monitors, links, cancel and terminate across nodes, the loss
/// of a node, and PIDs of a node's earlier life.
/// </summary>
public class RemoteTests
{
    private static Task<object?> Forever(ProcessContext c) => c.NewChannel<int>().Receive().AsTask().ContinueWith(_ => (object?)null);

    /// <summary>A process on <paramref name="node"/> that reports every message it receives.</summary>
    private static Pid Listener(TestNode node, Probe<Message> received) => node.Spawn(async c =>
    {
        while (true) received.Put(await c.Inbox.Next());
    });

    [Fact]
    public async Task A_message_reaches_a_process_of_another_node_as_a_neutral_copy_in_order()
    {
        await using var cluster = new LoopbackCluster();
        var a = cluster.Start("a");
        var b = cluster.Start("b");
        var received = new Probe<Message>();
        var listener = Listener(b, received);
        Assert.Equal("b", listener.Node);
        Assert.Equal(b.Node.Creation, listener.Creation);
        var sender = await a.Value(c =>
        {
            for (long i = 0; i < 1000; i++) c.Send(listener, "n", new Dictionary<string, object?> { ["i"] = i });
            return Task.FromResult<object?>(c.Pid);
        });
        for (long i = 0; i < 1000; i++)
        {
            var m = await received.Take();
            Assert.Equal("n", m.Topic);
            Assert.Equal(sender, m.From);
            Assert.Equal(i, Assert.IsType<PayloadMap>(m.Payload<object>())["i"]);
        }
    }

    [Fact]
    public async Task A_send_to_an_unknown_node_fails_and_one_to_a_dead_process_is_counted_there()
    {
        await using var cluster = new LoopbackCluster();
        var a = cluster.Start("a");
        var b = cluster.Start("b");
        var (dead, deadExit) = await b.Start(_ => Task.FromResult<object?>(null));
        await deadExit;
        var error = await a.Value(c =>
        {
            c.Send(dead, "lost", 1L);   // succeeds once queued, as in the reference
            var e = Assert.Throws<WispException>(() => c.Send(new Pid("nowhere", TestNode.HostId, 1), "x"));
            Assert.Equal(ErrorKind.NotFound, e.Kind);
            return Task.FromResult<object?>(e.Message);
        });
        Assert.Equal("node not found: nowhere", error);
        await Eventually(() => b.Node.Remote.DeliveryFailures == 1);
    }

    [Fact]
    public async Task A_remote_monitor_gets_the_exit_value_and_a_dead_target_gives_pid_not_registered()
    {
        await using var cluster = new LoopbackCluster();
        var a = cluster.Start("a");
        var b = cluster.Start("b");
        var target = b.Spawn(async c =>
        {
            await c.Inbox.Next();   // sent after the monitor, which therefore reaches node b first (order per sender)
            return new Dictionary<string, object?> { ["done"] = true };
        });
        var (dead, deadExit) = await b.Start(_ => Task.FromResult<object?>(null));
        await deadExit;
        var value = await a.Value(async c =>
        {
            c.Monitor(target);
            Assert.Equal(ErrorKind.AlreadyExists, Assert.Throws<WispException>(() => c.Monitor(target)).Kind);
            c.Send(target, "go", null);
            var exit = await c.Events.Next();
            Assert.Equal(EventKind.Exit, exit.Kind);
            Assert.Equal(target, exit.From);
            c.Monitor(dead);
            var none = await c.Events.Next();
            Assert.Equal(dead, none.From);
            Assert.Equal($"pid not registered: {dead}", none.Result!.Error!.Message);
            Assert.Equal(ErrorKind.NotFound, none.Result.Error.Kind);
            await c.NoEventBeforeMarker();
            return exit.Result!.Value;
        });
        Assert.Equal(true, Assert.IsType<PayloadMap>(value)["done"]);
    }

    [Fact]
    public async Task Nothing_arrives_after_a_remote_unmonitor_returned()
    {
        await using var cluster = new LoopbackCluster();
        var a = cluster.Start("a");
        var b = cluster.Start("b");
        var (target, targetExit) = await b.Start(async c => (await c.Inbox.Next()).Topic);
        await a.Value(async c =>
        {
            c.Monitor(target);
            c.Unmonitor(target);
            c.Send(target, "bye");
            await targetExit;
            await c.NoEventBeforeMarker();
            return null;
        });
    }

    [Fact]
    public async Task A_remote_link_brings_link_down_on_an_error_exit_and_nothing_on_a_normal_one()
    {
        await using var cluster = new LoopbackCluster();
        var a = cluster.Start("a");
        var b = cluster.Start("b");
        var failing = b.Spawn(async c =>
        {
            var m = await c.Inbox.Next();
            if (m.Topic == "fail") throw new InvalidOperationException("broke");
            return null;
        });
        var normal = b.Spawn(async c => (await c.Inbox.Next()).Topic);
        var error = await a.Value(async c =>
        {
            c.TrapLinks = true;
            c.Link(failing);
            c.Link(normal);
            c.Link(normal);   // idempotent
            c.Send(normal, "done");
            c.Send(failing, "fail");
            var down = await c.Events.Next();
            Assert.Equal(EventKind.LinkDown, down.Kind);
            Assert.Equal(failing, down.From);
            await c.NoEventBeforeMarker();
            return down.Result!.Error!.Message;
        });
        Assert.Equal("broke", error);
    }

    [Fact]
    public async Task A_remote_link_fails_a_process_that_does_not_trap_links_on_either_side()
    {
        await using var cluster = new LoopbackCluster();
        var a = cluster.Start("a");
        var b = cluster.Start("b");
        var (onB, bExit) = await b.Start(Forever);
        var linked = new TaskCompletionSource();
        var (onA, aExit) = await a.Start(async c =>
        {
            c.Link(onB);
            linked.SetResult();
            await c.Inbox.Next();
            throw new InvalidOperationException("a fails");
        });
        await linked.Task.WaitAsync(TestNode.Deadline);
        a.Node.Send(onA, "go", null);
        Assert.Equal("a fails", (await aExit).Error!.Message);
        Assert.Equal($"linked process failed: {onA}", (await bExit).Error!.Message);
    }

    [Fact]
    public async Task The_loss_of_a_node_gives_every_watcher_one_exit_or_link_down()
    {
        await using var cluster = new LoopbackCluster();
        var a = cluster.Start("a");
        var b = cluster.Start("b");
        var targets = Enumerable.Range(0, 20).Select(_ => b.Spawn(Forever)).ToArray();
        var ready = new TaskCompletionSource();
        var watcher = a.Start(async c =>
        {
            c.TrapLinks = true;
            foreach (var t in targets[..10]) c.Monitor(t);
            foreach (var t in targets[10..]) c.Link(t);
            ready.SetResult();
            var exits = new List<ProcessEvent>();
            for (int i = 0; i < 20; i++) exits.Add(await c.Events.Next());
            await c.NoEventBeforeMarker();
            return exits;
        });
        await ready.Task.WaitAsync(TestNode.Deadline);
        cluster.Kill("b", "killed by the test");
        var events = Assert.IsType<List<ProcessEvent>>((await (await watcher).Exit).Value);
        Assert.Equal(targets[..10].ToHashSet(), events.Where(e => e.Kind == EventKind.Exit).Select(e => e.From).ToHashSet());
        Assert.Equal(targets[10..].ToHashSet(), events.Where(e => e.Kind == EventKind.LinkDown).Select(e => e.From).ToHashSet());
        Assert.All(events, e =>
        {
            Assert.Equal("node b unreachable: killed by the test", e.Result!.Error!.Message);
            Assert.Equal(ErrorKind.Unavailable, e.Result.Error.Kind);
        });
    }

    [Fact]
    public async Task A_cut_connection_fails_the_linked_processes_on_both_sides()
    {
        await using var cluster = new LoopbackCluster();
        var a = cluster.Start("a");
        var b = cluster.Start("b");
        var (onB, bExit) = await b.Start(async c =>
        {
            while (true)
            {
                var m = await c.Inbox.Next();
                c.Send(m.From, "pong");
            }
        });
        var linked = new TaskCompletionSource();
        var (_, aExit) = await a.Start(async c =>
        {
            c.Link(onB);
            c.Send(onB, "ping");   // after the link request, which b has taken once it answers
            await c.Inbox.Next();
            linked.SetResult();
            return await Forever(c);
        });
        await linked.Task.WaitAsync(TestNode.Deadline);
        cluster.Cut("a", "b");
        Assert.Equal($"linked process failed: {onB}", (await aExit).Error!.Message);
        Assert.StartsWith("linked process failed: {a@", (await bExit).Error!.Message);
    }

    [Fact]
    public async Task A_PID_of_an_earlier_life_of_a_node_never_reaches_the_process_that_reused_its_id()
    {
        await using var cluster = new LoopbackCluster();
        var a = cluster.Start("a");
        var b = cluster.Start("b");
        var old = b.Spawn(Forever);
        cluster.Kill("b");
        var b2 = cluster.Start("b");
        var received = new Probe<Message>();
        var reborn = Listener(b2, received);
        Assert.Equal(old.Id, reborn.Id);   // ids start again at a restart
        Assert.Equal(old, reborn);         // the same text: only the creation tells them apart
        Assert.NotEqual(old.Creation, reborn.Creation);
        var errors = await a.Value(c =>
        {
            var send = Assert.Throws<WispException>(() => c.Send(old, "stale"));
            var monitor = Assert.Throws<WispException>(() => c.Monitor(old));
            var link = Assert.Throws<WispException>(() => c.Link(old));
            c.Send(reborn, "fresh");
            c.Send(Pid.Parse(reborn.ToString()), "from text");   // no creation: the node's current incarnation
            return Task.FromResult<object?>(new[] { send.Message, monitor.Message, link.Message });
        });
        Assert.Equal([$"process not found: {old}", $"pid not registered: {old}", $"pid not registered: {old}"], (string[])errors!);
        Assert.Equal("fresh", (await received.Take()).Topic);
        Assert.Equal("from text", (await received.Take()).Topic);
        // The same refusal on the far side, for what was queued before the sender knew of the restart.
        b2.Node.Remote.Deliver(old, new Message("late", Pid.None, (object?)null));
        Assert.Equal(1, b2.Node.Remote.DeliveryFailures);
        Assert.False(received.TryTake(out _));
    }

    [Fact]
    public async Task Cancel_and_terminate_reach_a_process_of_another_node()
    {
        await using var cluster = new LoopbackCluster();
        var a = cluster.Start("a");
        var b = cluster.Start("b");
        var (cancelled, cancelExit) = await b.Start(async c =>
        {
            var ev = await c.Events.Next();
            return $"{ev.KindName} {ev.Reason} {ev.From.Node}";
        });
        var (terminated, terminateExit) = await b.Start(Forever);
        await Eventually(() => b.Node.HearsCancel(cancelled));
        await a.Value(c =>
        {
            c.Cancel(cancelled, "please");
            c.Terminate(terminated);
            return Task.FromResult<object?>(null);
        });
        Assert.Equal("pid.cancel please a", (await cancelExit).Value);
        Assert.Equal("process terminated", (await terminateExit).Error!.Message);
    }

    /// <summary>Waits for a counter that no event announces (a delivery failure on the far side).</summary>
    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TestNode.Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("the condition did not hold within the deadline");
            await Task.Delay(5);
        }
    }
}
