namespace Wisp.Workloads;

/// <summary>
/// The workloads on Wisp, through its public API only (Node, HostOptions, ProcessContext, Registry), written as the
/// README's echo service is: processes spawned from catalog entries, a relay that selects over its inbox and
/// its events, replies sent by PID, the relay addressed by its registered name.
/// </summary>
public sealed class WispBench : RuntimeBench
{
    private const string HostId = "bench:processes";
    private static readonly Task<object?> Nothing = Task.FromResult<object?>(null);

    public override string Name => "wisp";

    private static Node NewNode()
    {
        var catalog = new ProcessCatalog()
            .Add("bench:relay", Relay)
            .Add("bench:worker", Worker)
            .Add("bench:requester", Requester)
            .Add("bench:spawn-parent", SpawnParent)
            .Add("bench:spawn-child", SpawnChild)
            .Add("bench:idle", Idle)
            .Add("bench:ping", Pinger)
            .Add("bench:pong", Ponger)
            .Add("bench:roundtrip", RoundTripper)
            .Add("bench:skynet", SkynetNode)
            .Add("bench:skynet-root", SkynetRoot)
            .Add("bench:subscriber", Subscriber)
            .Add("bench:publisher", Publisher);
        var node = new Node(new NodeOptions { Catalog = catalog });
        node.AddHost(HostId);
        return node;
    }

    // ---- echo ----

    public override async Task<EchoRun> Echo(LatencyLog[] logs, TimeSpan timeout)
    {
        var node = NewNode();
        var exits = new ExitCounter(LatencyLog.Total(logs));
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        node.Spawn("bench:relay", HostId, exits, ready);
        await ready.Task.WaitAsync(timeout);

        var done = new Countdown(logs.Length);
        long start = Now();
        foreach (var log in logs) node.Spawn("bench:requester", HostId, log, done);
        return await FinishEcho(start, done.Task, exits, logs, timeout);
    }

    private static async Task<object?> Relay(ProcessContext p)
    {
        var exits = (ExitCounter)p.Args[0]!;
        p.Registry.Register("relay");
        ((TaskCompletionSource)p.Args[1]!).SetResult();
        var inbox = p.Inbox;
        var events = p.Events;
        while (true)
        {
            var r = await p.Select(inbox.CaseReceive(), events.CaseReceive());
            if (r.Channel == events)
            {
                if (r.ValueAs<ProcessEvent>() is { Kind: EventKind.Exit }) exits.Saw();
            }
            else if (r.ValueAs<Message>() is { Topic: "echo" } m)
            {
                p.SpawnMonitored("bench:worker", HostId, m.From, m.Payload<string>());
            }
        }
    }

    private static Task<object?> Worker(ProcessContext w)
    {
        w.Send((Pid)w.Args[0]!, "reply", w.Args[1]);
        return Nothing;
    }

    private static async Task<object?> Requester(ProcessContext p)
    {
        var log = (LatencyLog)p.Args[0]!;
        var inbox = p.Inbox;
        for (int i = 0; i < log.Count; i++)
        {
            long t0 = Now();
            p.Send("relay", "echo", "ping");
            await inbox.Receive();
            log.Ticks[i] = Now() - t0;
        }
        ((Countdown)p.Args[1]!).Signal();
        return null;
    }

    // ---- spawn + one message + exit, monitored ----

    public override async Task<long> Spawn(int children, int window, TimeSpan timeout)
    {
        var node = NewNode();
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        node.Spawn("bench:spawn-parent", HostId, children, window, done);
        return await done.Task.WaitAsync(timeout);
    }

    private static async Task<object?> SpawnParent(ProcessContext p)
    {
        int children = (int)p.Args[0]!, window = (int)p.Args[1]!;
        var done = (TaskCompletionSource<long>)p.Args[2]!;
        var go = p.NewMessage("go", null);
        var events = p.Events;
        long start = Now();
        int spawned = 0, exited = 0;
        for (; spawned < Math.Min(window, children); spawned++) p.Send(p.SpawnMonitored("bench:spawn-child", HostId), go);
        while (exited < children)
        {
            var (ev, _) = await events.Receive();
            if (ev.Kind != EventKind.Exit) continue;
            exited++;
            if (spawned < children)
            {
                p.Send(p.SpawnMonitored("bench:spawn-child", HostId), go);
                spawned++;
            }
        }
        done.SetResult(Now() - start);
        return null;
    }

    private static async Task<object?> SpawnChild(ProcessContext c)
    {
        await c.Inbox.Receive();
        return null;
    }

    // ---- idle ----

    public override async Task<IdleRun> Idle(string[] names, TimeSpan timeout)
    {
        var node = NewNode();
        var parked = new Countdown(names.Length);
        long heapBefore = Memory.SettledHeap(), rssBefore = Memory.Rss();
        long start = Now();
        foreach (var name in names) node.Spawn("bench:idle", HostId, name, parked);
        await parked.Task.WaitAsync(timeout);
        long spawnTicks = Now() - start;
        await Task.Delay(200);   // let the last slices finish parking
        long heapAfter = Memory.SettledHeap(), rssAfter = Memory.Rss();
        var check = node.Registry.Lookup(names[^1]);
        if (check is null || node.ProcessCount < names.Length) throw new InvalidOperationException("idle processes missing");
        GC.KeepAlive(node);
        return new IdleRun(names.Length, Stats.Seconds(spawnTicks), heapBefore, heapAfter, rssBefore, rssAfter);
    }

    private static async Task<object?> Idle(ProcessContext p)
    {
        p.Registry.Register((string)p.Args[0]!);
        var inbox = p.Inbox;
        ((Countdown)p.Args[1]!).Signal();
        await inbox.Receive();
        return null;
    }

    // ---- ping-pong ----

    public override async Task<long> PingPong(int pairs, int window, int roundTrips, TimeSpan timeout)
    {
        var node = NewNode();
        var done = new Countdown(pairs);
        var pongers = new Pid[pairs];
        for (int i = 0; i < pairs; i++) pongers[i] = node.Spawn("bench:pong", HostId);
        long start = Now();
        for (int i = 0; i < pairs; i++) node.Spawn("bench:ping", HostId, pongers[i], window, roundTrips, done);
        await done.Task.WaitAsync(timeout);
        return Now() - start;
    }

    private static async Task<object?> Ponger(ProcessContext p)
    {
        var inbox = p.Inbox;
        var pong = p.NewMessage("pong", null);
        while (true)
        {
            var (m, ok) = await inbox.Receive();
            if (!ok) return null;
            p.Send(m.From, pong);
        }
    }

    private static async Task<object?> Pinger(ProcessContext p)
    {
        var ponger = (Pid)p.Args[0]!;
        int window = (int)p.Args[1]!, total = (int)p.Args[2]!;
        var ping = p.NewMessage("ping", null);
        var inbox = p.Inbox;
        int sent = 0;
        for (; sent < Math.Min(window, total); sent++) p.Send(ponger, ping);
        for (int received = 0; received < total; received++)
        {
            await inbox.Receive();
            if (sent < total)
            {
                p.Send(ponger, ping);
                sent++;
            }
        }
        ((Countdown)p.Args[3]!).Signal();
        return null;
    }

    // ---- round trip: the ping-pong workload's ponger, one ping in flight ----

    public override async Task<RoundTripRun> RoundTrip(LatencyLog log, TimeSpan timeout)
    {
        var node = NewNode();
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        node.Spawn("bench:roundtrip", HostId, node.Spawn("bench:pong", HostId), log, done);
        return new RoundTripRun(await done.Task.WaitAsync(timeout), log, ClockNs);
    }

    /// <summary>
    /// A of the round trip: sends a prebuilt ping to B's PID, waits for the reply in its inbox, and again; one
    /// timestamp per reply. It completes its third argument with the ticks from the first send to the last reply.
    /// wisp-lua's A too, timing the Lua ponger (Lua has no cheap monotonic clock to time itself with).
    /// </summary>
    internal static async Task<object?> RoundTripper(ProcessContext p)
    {
        var ponger = (Pid)p.Args[0]!;
        var log = (LatencyLog)p.Args[1]!;
        var ping = p.NewMessage("ping", null);
        var inbox = p.Inbox;
        long start = Now(), previous = start;
        for (int i = 0; i < log.Count; i++)
        {
            p.Send(ponger, ping);
            await inbox.Receive();
            long now = Now();
            log.Ticks[i] = now - previous;
            previous = now;
        }
        ((TaskCompletionSource<long>)p.Args[2]!).SetResult(previous - start);
        return null;
    }

    // ---- skynet ----

    public override async Task<(long Ticks, long Sum)> Skynet(int leaves, TimeSpan timeout)
    {
        var node = NewNode();
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        long start = Now();
        node.Spawn("bench:skynet-root", HostId, (long)leaves, done);
        long sum = await done.Task.WaitAsync(timeout);
        return (Now() - start, sum);
    }

    private static async Task<object?> SkynetRoot(ProcessContext p)
    {
        p.Send(p.Spawn("bench:skynet", p.HostId), "start", new SkynetStart(0, (long)p.Args[0]!));
        var (m, _) = await p.Inbox.Receive();
        ((TaskCompletionSource<long>)p.Args[1]!).SetResult(m.Payload<long>());
        return null;
    }

    /// <summary>
    /// A skynet node, as the peers' nodes: spawned without arguments (a plain spawn: no one hears it exit), told its
    /// work in one message, it answers that message's sender. A leaf sends its number; the others spawn 10 and sum.
    /// </summary>
    private static async Task<object?> SkynetNode(ProcessContext p)
    {
        var inbox = p.Inbox;
        var (start, _) = await inbox.Receive();
        var work = start.Payload<SkynetStart>();
        if (work.Size == 1)
        {
            p.Send(start.From, "sum", work.Num);
            return null;
        }
        long sub = work.Size / 10;
        for (int i = 0; i < 10; i++) p.Send(p.Spawn("bench:skynet", p.HostId), "start", new SkynetStart(work.Num + i * sub, sub));
        long sum = 0;
        for (int i = 0; i < 10; i++)
        {
            var (m, _) = await inbox.Receive();
            sum += m.Payload<long>();
        }
        p.Send(start.From, "sum", sum);
        return null;
    }

    // ---- fan-out ----

    public override async Task<long> Fanout(int subscribers, int rounds, TimeSpan timeout)
    {
        var node = NewNode();
        var done = new Countdown(subscribers);
        var subs = new Pid[subscribers];
        for (int i = 0; i < subscribers; i++) subs[i] = node.Spawn("bench:subscriber", HostId, rounds, done);
        long start = Now();
        node.Spawn("bench:publisher", HostId, subs, rounds);
        await done.Task.WaitAsync(timeout);
        return Now() - start;
    }

    private static async Task<object?> Subscriber(ProcessContext p)
    {
        int rounds = (int)p.Args[0]!;
        var inbox = p.Inbox;
        for (int i = 0; i < rounds; i++) await inbox.Receive();
        ((Countdown)p.Args[1]!).Signal();
        return null;
    }

    private static Task<object?> Publisher(ProcessContext p)
    {
        var subs = (Pid[])p.Args[0]!;
        int rounds = (int)p.Args[1]!;
        var tick = p.NewMessage("tick", null);
        for (int r = 0; r < rounds; r++)
            foreach (var sub in subs) p.Send(sub, tick);
        return Nothing;
    }
}
