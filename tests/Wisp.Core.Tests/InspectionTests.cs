namespace Wisp.Tests;

/// <summary>What <see cref="Node.InspectProcesses"/> and <see cref="Node.TryInspectProcess"/> show of live processes.</summary>
public class InspectionTests
{
    [Fact]
    public async Task A_parked_process_shows_its_entry_counts_names_coroutines_uptime_and_topology()
    {
        var time = new ManualTime();
        var node = new TestNode(time: time);
        var partner = node.Spawn(c => c.NewChannel<int>().Receive().AsTask().ContinueWith(_ => (object?)null));
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inspected = node.Spawn(async c =>
        {
            c.Registry.Register("inspected");
            c.Link(partner);
            c.Monitor(partner);
            var never = c.NewChannel<int>();
            c.Go(async () => await never.Receive());
            c.Go(async () => await never.Receive());
            for (int i = 0; i < 2; i++) await c.Inbox.Receive();
            c.Send(partner, "hello", 1);
            ready.SetResult();
            await never.Receive();
            return null;
        });
        node.Node.Send(inspected, "work", 1);
        node.Node.Send(inspected, "work", 2);
        await ready.Task.WaitAsync(TestNode.Deadline);
        time.Advance(TimeSpan.FromSeconds(5));

        var info = await Eventually(() => node.Node.InspectProcesses().Single(p => p.Pid == inspected),
            i => i.State == ProcessState.Waiting);
        Assert.Equal("dotnet", info.Kind);
        Assert.Equal(2, info.MessagesIn);
        Assert.Equal(1, info.MessagesOut);
        Assert.Equal(0, info.MailboxDepth);
        Assert.Equal(2, info.Coroutines);
        Assert.Equal(["inspected"], info.Names);
        Assert.Equal(TimeSpan.FromSeconds(5), info.Uptime);
        Assert.Equal([partner, inspected], node.Node.InspectProcesses().Select(p => p.Pid));

        Assert.True(node.Node.TryInspectProcess(inspected, out var detail));
        Assert.Equal([partner], detail.Links);
        Assert.Equal([partner], detail.Monitoring);
        Assert.Empty(detail.MonitoredBy);
        Assert.True(node.Node.TryInspectProcess(partner, out var partnerDetail));
        Assert.Equal([inspected], partnerDetail.Links);
        Assert.Equal([inspected], partnerDetail.MonitoredBy);
        Assert.Equal(1, partnerDetail.Info.MailboxDepth);   // "hello", sent to a process that has no inbox open
    }

    /// <summary>
    /// On the system clock a spawn reads its second from the coarse tick count (Node.SecondsSinceStart), not from the
    /// TimeProvider the test above advances: a process spawned at the node's start shows every second since, one spawned
    /// a second later one second less. Waits for the node's own uptime to pass 2.2 s.
    /// </summary>
    [Fact]
    public async Task On_the_system_clock_uptime_counts_whole_seconds_from_the_spawn()
    {
        var node = new TestNode();
        Pid Parked() => node.Spawn(c => c.NewChannel<int>().Receive().AsTask().ContinueWith(_ => (object?)null));
        var first = Parked();
        await Eventually(() => node.Node.Uptime, up => up >= TimeSpan.FromSeconds(1.2));
        var second = Parked();
        await Eventually(() => node.Node.Uptime, up => up >= TimeSpan.FromSeconds(2.2));

        var byPid = node.Node.InspectProcesses().ToDictionary(p => p.Pid, p => p.Uptime);
        Assert.InRange(byPid[first], TimeSpan.FromSeconds(2), node.Node.Uptime + TimeSpan.FromSeconds(1));
        Assert.InRange(byPid[second], TimeSpan.Zero, byPid[first] - TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_process_that_exited_is_not_shown()
    {
        var node = new TestNode();
        var (pid, exited) = await node.Start(_ => Task.FromResult<object?>(null));
        await exited.WaitAsync(TestNode.Deadline);
        await Eventually(() => node.Node.InspectProcesses(), all => all.All(p => p.Pid != pid));
        Assert.False(node.Node.TryInspectProcess(pid, out _));
    }

    /// <summary>Reads until <paramref name="done"/> holds, within the deadline (a process parks a moment after it signals).</summary>
    private static async Task<T> Eventually<T>(Func<T> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + TestNode.Deadline;
        while (true)
        {
            var value = read();
            if (done(value) || DateTime.UtcNow > deadline) return value;
            await Task.Delay(10);
        }
    }
}
