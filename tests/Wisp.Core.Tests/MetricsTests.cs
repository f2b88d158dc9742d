using System.Diagnostics.Metrics;

namespace Wisp.Tests;

/// <summary>The node's instruments under known workloads, read through a MeterListener (docs/observability.md).</summary>
public sealed class MetricsTests
{
    private const string Workers = "app:workers", Helpers = "app:helpers", Senders = "app:senders", Receivers = "app:receivers";
    private const string Host = "wisp.host", Kind = "wisp.kind", Outcome = "wisp.outcome";
    private const int N = 5;

    private static TestNode NodeWith(params string[] hosts)
    {
        var test = new TestNode();
        foreach (var host in hosts) test.Node.AddHost(host);
        return test;
    }

    public static TheoryData<string> Outcomes => ["normal", "error", "terminated", "linked"];

    /// <summary>A worker that waits for the test's word, then ends with <paramref name="outcome"/> (a terminated one never gets the word).</summary>
    private static ProcessBody Worker(string outcome) => async p =>
    {
        await p.Inbox.Next();
        switch (outcome)
        {
            case "error":
                throw new InvalidOperationException("worker failed");
            case "linked":
                p.Spawn(_ => throw new InvalidOperationException("helper failed"), SpawnOptions.Linked, Helpers);
                await p.Inbox.Next();
                break;
        }
        return null;
    };

    [Theory, MemberData(nameof(Outcomes))]
    public async Task Spawns_and_exits_are_counted_by_host_kind_and_outcome(string outcome)
    {
        var test = NodeWith(Workers, Helpers);
        using var metrics = new MetricsProbe(test.Node);
        var workers = new List<(Pid Pid, Task<ExitResult> Exit)>();
        for (int i = 0; i < N; i++) workers.Add(await test.StartOn(Workers, Worker(outcome)));

        Assert.Equal(N, metrics.Value("wisp.processes.spawned", (Host, Workers), (Kind, "dotnet")));
        Assert.Equal(N, metrics.Value("wisp.processes.live", (Host, Workers), (Kind, "dotnet")));
        Assert.Equal(0, metrics.Value("wisp.processes.exited", (Host, Workers)));

        foreach (var (pid, _) in workers)
            if (outcome == "terminated") test.Node.Terminate(pid);
            else test.Node.Send(pid, "go", null);
        foreach (var (_, exit) in workers) await exit;

        // An exit is counted before its monitors hear of it: no wait is needed here.
        Assert.Equal(0, metrics.Value("wisp.processes.live", (Host, Workers)));
        Assert.Equal(N, metrics.Value("wisp.processes.spawned", (Host, Workers)));
        Assert.Equal(N, metrics.Value("wisp.processes.exited", (Host, Workers), (Outcome, outcome)));
        Assert.Equal(N, metrics.Value("wisp.processes.exited", (Host, Workers)));
    }

    [Fact]
    public async Task Messages_sent_and_delivered_are_counted_while_processes_live_and_after_they_exit()
    {
        const int m = 7;
        var test = NodeWith(Senders, Receivers);
        using var metrics = new MetricsProbe(test.Node);
        var received = new Probe<bool>();
        var (receiver, receiverExit) = await test.StartOn(Receivers, async p =>
        {
            for (int i = 0; i < m; i++) await p.Inbox.Next();
            received.Put(true);
            await p.Inbox.Next();
            return null;
        });
        var (sender, senderExit) = await test.StartOn(Senders, async p =>
        {
            for (int i = 0; i < m; i++) p.Send(receiver, "n", i);
            await p.Inbox.Next();
            return null;
        });
        await received.Take();

        await metrics.Reaches(m, "wisp.messages.sent", (Host, Senders));
        await metrics.Reaches(m, "wisp.messages.delivered", (Host, Receivers));

        test.Node.Send(sender, "end", null);     // from outside any process: delivered, not sent by a process
        test.Node.Send(receiver, "end", null);
        await senderExit;
        await receiverExit;

        await metrics.Reaches(m + 1, "wisp.messages.delivered", (Host, Receivers));
        await metrics.Reaches(1, "wisp.messages.delivered", (Host, Senders));
        Assert.Equal(m, metrics.Value("wisp.messages.sent", (Host, Senders)));
        Assert.Equal(0, metrics.Value("wisp.messages.sent", (Host, Receivers)));
    }

    [Fact]
    public async Task Mailbox_depth_counts_what_a_process_has_not_read()
    {
        const int k = 6;
        var test = NodeWith(Workers);
        using var metrics = new MetricsProbe(test.Node);
        var opened = new Probe<bool>();
        var (pid, exit) = await test.StartOn(Workers, async p =>
        {
            _ = p.Inbox;   // routed messages wait in the inbox, unread
            var stop = p.Listen("stop");
            opened.Put(true);
            await stop.Next();
            return null;
        });
        await opened.Take();
        for (int i = 0; i < k; i++) test.Node.Send(pid, "work", i);

        await metrics.Reaches(k, "wisp.mailbox.depth", (Host, Workers));
        await metrics.Reaches(k, "wisp.mailbox.depth.max", (Host, Workers));

        test.Node.Send(pid, "stop", null);
        await exit;
        await metrics.Reaches(0, "wisp.mailbox.depth", (Host, Workers));
        Assert.Equal(k, test.Node.DiscardedMessages);
        Assert.Equal(k, metrics.Value("wisp.messages.discarded"));
    }

    [Fact]
    public async Task A_select_that_parks_is_counted_and_a_ready_one_is_not()
    {
        const int waits = 4;
        var test = NodeWith(Workers);
        using var metrics = new MetricsProbe(test.Node);
        var (_, exit) = await test.StartOn(Workers, async p =>
        {
            var wake = p.NewChannel<int>(1);
            var never = p.NewChannel<int>();
            p.Go(async () =>
            {
                for (int i = 0; i < waits; i++)
                {
                    await p.Sleep(TimeSpan.FromMilliseconds(1));   // main has parked by now: it parks before this coroutine runs again
                    wake.TrySend(i);
                }
            });
            for (int i = 0; i < waits; i++) await p.Select(wake.CaseReceive(), never.CaseReceive());
            wake.TrySend(-1);
            await p.Select(wake.CaseReceive(), never.CaseReceive());   // ready: no wait
            return null;
        });
        Assert.Null((await exit).Error);
        await metrics.Reaches(waits, "wisp.select.waits", (Host, Workers));
    }

    [Theory, InlineData(true), InlineData(false)]
    public void The_meter_is_the_nodes_and_is_disposed_by_whoever_made_it(bool factoryGiven)
    {
        using var factory = new RecordingMeterFactory();
        var node = new Node(new NodeOptions { Name = "n1", MeterFactory = factoryGiven ? factory : null });
        var meter = node.Metrics.Meter;
        Assert.Equal(factoryGiven, factory.Made.Contains(meter));
        Assert.Equal(WispTelemetry.MeterName, meter.Name);
        Assert.Contains(meter.Tags!, t => t.Key == "wisp.node" && (string?)t.Value == "n1");

        int completed = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter == meter) l.EnableMeasurementEvents(instrument);
            },
            MeasurementsCompleted = (_, _) => Interlocked.Increment(ref completed),
        };
        listener.Start();
        node.Dispose();
        Assert.Equal(!factoryGiven, completed > 0);   // a factory's meter stays the factory's
        factory.Dispose();
        Assert.True(completed > 0);
    }

    private sealed class RecordingMeterFactory : IMeterFactory
    {
        public List<Meter> Made { get; } = [];
        public bool Disposed { get; private set; }

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            Made.Add(meter);
            return meter;
        }

        public void Dispose()
        {
            Disposed = true;
            foreach (var meter in Made) meter.Dispose();
        }
    }
}
