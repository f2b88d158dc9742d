using Proto;
using Proto.Mailbox;

namespace Wisp.Workloads;

/// <summary>
/// The workloads on Proto.Actor, as its documentation and its own benchmarks do: IActor with a switch on
/// context.Message, Props made once per kind of actor (per request for the echo worker, whose work is its
/// constructor's arguments), Send (and Request/Respond where a reply goes to the
/// sender), children spawned from the context (the parent receives Terminated for them), names given with
/// SpawnNamed and addressed through the process registry (PID.FromAddress(system.Address, name)); skynet as
/// Proto.Actor's own spawn benchmark writes it. Default ActorSystemConfig. Two configurations share this code:
/// <list type="bullet">
/// <item><c>proto</c>: Proto's default Props (a lock-free unbounded user mailbox, a 100 ms start deadline checked for every actor).</item>
/// <item><c>proto-tuned</c>: no start deadline, and the actors made in numbers (echo workers, spawn children, idle actors,
/// skynet nodes) with the mailbox of Proto.Actor's own spawn benchmark: both queues a <see cref="LockingUnboundedMailboxQueue"/>
/// of initial capacity 4. The long-lived actors that carry the traffic keep the default mailbox, as in its in-process benchmark.</item>
/// </list>
/// </summary>
public sealed class ProtoBench : RuntimeBench
{
    private readonly bool _tuned;
    private readonly Props _base;
    private readonly Props _many;
    private readonly Props _spawnChildProps;
    private readonly Props _skynetNodeProps;

    public ProtoBench(bool tuned = false)
    {
        _tuned = tuned;
        _base = tuned ? new Props().WithStartDeadline(TimeSpan.Zero) : new Props();
        _many = tuned ? _base.WithMailbox(() => new DefaultMailbox(new LockingUnboundedMailboxQueue(4), new LockingUnboundedMailboxQueue(4))) : _base;
        _spawnChildProps = MakeMany(() => new SpawnChild());
        _skynetNodeProps = MakeMany(() => new SkynetNode(this));
    }

    public override string Name => _tuned ? "proto-tuned" : "proto";

    /// <summary>The Props of a long-lived actor: the configuration's base Props with its producer (one copy of the Props record).</summary>
    private Props Make(Producer produce) => _base.WithProducer(produce);

    /// <summary>The Props of an actor made in numbers.</summary>
    private Props MakeMany(Producer produce) => _many.WithProducer(produce);

    private static async Task<T> Using<T>(Func<ActorSystem, Task<T>> body)
    {
        var system = new ActorSystem();
        try
        {
            return await body(system);
        }
        finally
        {
            await system.ShutdownAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    // ---- echo: the relay creates each worker with the request (its constructor's arguments) ----

    public override Task<EchoRun> Echo(LatencyLog[] logs, TimeSpan timeout) => Using(async system =>
    {
        var exits = new ExitCounter(LatencyLog.Total(logs));
        system.Root.SpawnNamed(Make(() => new Relay(this, exits)), "relay");
        var relay = PID.FromAddress(system.Address, "relay");
        var done = new Countdown(logs.Length);
        long start = Now();
        foreach (var log in logs) system.Root.Spawn(Make(() => new Requester(relay, log, done)));
        return await FinishEcho(start, done.Task, exits, logs, timeout);
    });

    private sealed class Relay(ProtoBench bench, ExitCounter exits) : IActor
    {
        public Task ReceiveAsync(IContext context)
        {
            switch (context.Message)
            {
                case EchoRequest r:
                    var replyTo = context.Sender!;
                    var data = r.Data;
                    context.Spawn(bench.MakeMany(() => new Worker(replyTo, data)));      // a child: its parent receives Terminated
                    break;
                case Terminated:
                    exits.Saw();
                    break;
            }
            return Task.CompletedTask;
        }
    }

    /// <summary>Replies as it starts and stops: its work came with its creation.</summary>
    private sealed class Worker(PID replyTo, string data) : IActor
    {
        public Task ReceiveAsync(IContext context)
        {
            if (context.Message is Started)
            {
                context.Send(replyTo, new Reply(data));
                context.Stop(context.Self);
            }
            return Task.CompletedTask;
        }
    }

    private sealed class Requester(PID relay, LatencyLog log, Countdown done) : IActor
    {
        private int _i;
        private long _t0;

        public Task ReceiveAsync(IContext context)
        {
            switch (context.Message)
            {
                case Started:
                    Request(context);
                    break;
                case Reply:
                    log.Ticks[_i++] = Now() - _t0;
                    if (_i < log.Count) Request(context);
                    else
                    {
                        done.Signal();
                        context.Stop(context.Self);
                    }
                    break;
            }
            return Task.CompletedTask;
        }

        private void Request(IContext context)
        {
            _t0 = Now();
            context.Request(relay, new EchoRequest("ping"));
        }
    }

    // ---- spawn + one message + exit, watched ----

    public override Task<long> Spawn(int children, int window, TimeSpan timeout) => Using(async system =>
    {
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        system.Root.Spawn(Make(() => new SpawnParent(_spawnChildProps, children, window, done)));
        return await done.Task.WaitAsync(timeout);
    });

    private sealed class SpawnParent(Props childProps, int children, int window, TaskCompletionSource<long> done) : IActor
    {
        private int _spawned;
        private int _exited;
        private long _start;

        public Task ReceiveAsync(IContext context)
        {
            switch (context.Message)
            {
                case Started:
                    _start = Now();
                    while (_spawned < Math.Min(window, children)) SpawnOne(context);
                    break;
                case Terminated:
                    _exited++;
                    if (_spawned < children) SpawnOne(context);
                    if (_exited == children) done.SetResult(Now() - _start);
                    break;
            }
            return Task.CompletedTask;
        }

        private void SpawnOne(IContext context)
        {
            var child = context.Spawn(childProps);
            context.Send(child, Go.Instance);
            _spawned++;
        }
    }

    private sealed class SpawnChild : IActor
    {
        public Task ReceiveAsync(IContext context)
        {
            if (context.Message is Go) context.Stop(context.Self);
            return Task.CompletedTask;
        }
    }

    // ---- idle ----

    public override async Task<IdleRun> Idle(string[] names, TimeSpan timeout)
    {
        var system = new ActorSystem();
        var parked = new Countdown(names.Length);
        var props = MakeMany(() => new IdleActor(parked));
        long heapBefore = Memory.SettledHeap(), rssBefore = Memory.Rss();
        long start = Now();
        foreach (var name in names) system.Root.SpawnNamed(props, name);
        await parked.Task.WaitAsync(timeout);
        long spawnTicks = Now() - start;
        await Task.Delay(200);
        long heapAfter = Memory.SettledHeap(), rssAfter = Memory.Rss();
        if (system.ProcessRegistry.ProcessCount < names.Length) throw new InvalidOperationException("idle actors missing");
        var run = new IdleRun(names.Length, Stats.Seconds(spawnTicks), heapBefore, heapAfter, rssBefore, rssAfter);
        await system.ShutdownAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return run;
    }

    private sealed class IdleActor(Countdown parked) : IActor
    {
        public Task ReceiveAsync(IContext context)
        {
            if (context.Message is Started) parked.Signal();
            return Task.CompletedTask;
        }
    }

    // ---- ping-pong ----

    public override Task<long> PingPong(int pairs, int window, int roundTrips, TimeSpan timeout) => Using(async system =>
    {
        var done = new Countdown(pairs);
        var pingers = new PID[pairs];
        for (int i = 0; i < pairs; i++)
        {
            var ponger = system.Root.Spawn(Make(() => new Ponger()));
            pingers[i] = system.Root.Spawn(Make(() => new Pinger(ponger, window, roundTrips, done)));
        }
        await Task.Delay(100);
        long start = Now();
        foreach (var pinger in pingers) system.Root.Send(pinger, Go.Instance);
        await done.Task.WaitAsync(timeout);
        return Now() - start;
    });

    /// <summary>As in Proto.Actor's own in-process benchmark: the message carries the PID to answer.</summary>
    private sealed class Ping(PID replyTo)
    {
        public PID ReplyTo { get; } = replyTo;
    }

    private sealed class Pong { public static readonly Pong Instance = new(); }

    private sealed class Ponger : IActor
    {
        public Task ReceiveAsync(IContext context)
        {
            if (context.Message is Ping ping) context.Send(ping.ReplyTo, Pong.Instance);
            return Task.CompletedTask;
        }
    }

    private sealed class Pinger(PID ponger, int window, int total, Countdown done) : IActor
    {
        private Ping? _ping;
        private int _sent;
        private int _received;

        public Task ReceiveAsync(IContext context)
        {
            switch (context.Message)
            {
                case Go:
                    _ping = new Ping(context.Self);
                    for (; _sent < Math.Min(window, total); _sent++) context.Send(ponger, _ping);
                    break;
                case Pong:
                    _received++;
                    if (_sent < total)
                    {
                        context.Send(ponger, _ping!);
                        _sent++;
                    }
                    if (_received == total) done.Signal();
                    break;
            }
            return Task.CompletedTask;
        }
    }

    // ---- round trip: the ping-pong workload's ponger, one ping in flight ----

    public override Task<RoundTripRun> RoundTrip(LatencyLog log, TimeSpan timeout) => Using(async system =>
    {
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var ponger = system.Root.Spawn(Make(() => new Ponger()));
        system.Root.Spawn(Make(() => new RoundTripper(ponger, log, done)));
        return new RoundTripRun(await done.Task.WaitAsync(timeout), log, ClockNs);
    });

    /// <summary>A of the round trip: pings on Started and on every pong, one timestamp per pong.</summary>
    private sealed class RoundTripper(PID ponger, LatencyLog log, TaskCompletionSource<long> done) : IActor
    {
        private Ping? _ping;
        private int _i;
        private long _start;
        private long _previous;

        public Task ReceiveAsync(IContext context)
        {
            switch (context.Message)
            {
                case Started:
                    _ping = new Ping(context.Self);
                    _start = _previous = Now();
                    context.Send(ponger, _ping);
                    break;
                case Pong:
                    long now = Now();
                    log.Ticks[_i++] = now - _previous;
                    _previous = now;
                    if (_i < log.Count) context.Send(ponger, _ping!);
                    else done.SetResult(now - _start);
                    break;
            }
            return Task.CompletedTask;
        }
    }

    // ---- skynet, as Proto.Actor's own spawn benchmark: nodes spawned from the root, told their work with Request ----

    public override Task<(long Ticks, long Sum)> Skynet(int leaves, TimeSpan timeout) => Using(async system =>
    {
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        long start = Now();
        system.Root.Spawn(Make(() => new SkynetRoot(_skynetNodeProps, leaves, done)));
        long sum = await done.Task.WaitAsync(timeout);
        return (Now() - start, sum);
    });

    private sealed class SkynetRoot(Props nodeProps, long leaves, TaskCompletionSource<long> done) : IActor
    {
        public Task ReceiveAsync(IContext context)
        {
            switch (context.Message)
            {
                case Started:
                    context.Request(context.System.Root.Spawn(nodeProps), new SkynetStart(0, leaves));
                    break;
                case long sum:
                    done.SetResult(sum);
                    break;
            }
            return Task.CompletedTask;
        }
    }

    /// <summary>Spawned from the root, so no parent hears it stop; it answers the sender of its start message.</summary>
    private sealed class SkynetNode(ProtoBench bench) : IActor
    {
        private PID? _replyTo;
        private long _sum;
        private int _pending;

        public Task ReceiveAsync(IContext context)
        {
            switch (context.Message)
            {
                case SkynetStart { Size: 1 } leaf:
                    context.Respond(leaf.Num);
                    context.Stop(context.Self);
                    break;
                case SkynetStart s:
                    _replyTo = context.Sender;
                    long sub = s.Size / 10;
                    _pending = 10;
                    var root = context.System.Root;
                    for (int i = 0; i < 10; i++) context.Request(root.Spawn(bench._skynetNodeProps), new SkynetStart(s.Num + i * sub, sub));
                    break;
                case long n:
                    _sum += n;
                    if (--_pending == 0)
                    {
                        context.Send(_replyTo!, _sum);
                        context.Stop(context.Self);
                    }
                    break;
            }
            return Task.CompletedTask;
        }
    }

    // ---- fan-out ----

    public override Task<long> Fanout(int subscribers, int rounds, TimeSpan timeout) => Using(async system =>
    {
        var done = new Countdown(subscribers);
        var subProps = Make(() => new Subscriber(rounds, done));
        var subs = new PID[subscribers];
        for (int i = 0; i < subscribers; i++) subs[i] = system.Root.Spawn(subProps);
        var publisher = system.Root.Spawn(Make(() => new Publisher(subs, rounds)));
        await Task.Delay(100);
        long start = Now();
        system.Root.Send(publisher, Go.Instance);
        await done.Task.WaitAsync(timeout);
        return Now() - start;
    });

    private sealed class Subscriber(int rounds, Countdown done) : IActor
    {
        private int _seen;

        public Task ReceiveAsync(IContext context)
        {
            if (context.Message is Tick && ++_seen == rounds) done.Signal();
            return Task.CompletedTask;
        }
    }

    private sealed class Publisher(PID[] subs, int rounds) : IActor
    {
        public Task ReceiveAsync(IContext context)
        {
            if (context.Message is Go)
                for (int r = 0; r < rounds; r++)
                    foreach (var sub in subs) context.Send(sub, Tick.Instance);
            return Task.CompletedTask;
        }
    }
}
