using Akka.Actor;
using Akka.Configuration;

namespace Wisp.Workloads;

/// <summary>
/// The workloads on Akka.NET, as its documentation recommends: ReceiveActor, Props made once per kind of actor (per
/// request for the echo worker, whose work is its constructor's arguments), Tell (never Ask inside the workload),
/// Context.Watch + Terminated for monitors, names given through ActorOf(props, name) and looked up with
/// ActorSelection (resolved once to an IActorRef, as the docs advise). Two configurations share this code:
/// <list type="bullet">
/// <item><c>akka</c>: the default configuration (only logging quietened); Props made with <c>Props.Create&lt;T&gt;(args)</c>,
/// from which Akka creates each actor by reflection; idle actors are top-level actors.</item>
/// <item><c>akka-tuned</c>: the default dispatcher's throughput at 300 (30 by default); Props made with
/// <c>Props.CreateBy</c> and an <see cref="IIndirectActorProducer"/> that calls the constructor; idle actors are the
/// children of one parent actor.</item>
/// </list>
/// </summary>
public sealed class AkkaBench : RuntimeBench
{
    private readonly bool _tuned;
    private readonly Props _spawnChildProps;
    private readonly Props _skynetNodeProps;

    public AkkaBench(bool tuned = false)
    {
        _tuned = tuned;
        _spawnChildProps = Make(() => new SpawnChild());
        _skynetNodeProps = Make(() => new SkynetNode());
    }

    public override string Name => _tuned ? "akka-tuned" : "akka";

    private static readonly Config Quiet = ConfigurationFactory.ParseString("""
        akka {
          loglevel = WARNING
          stdout-loglevel = WARNING
          log-dead-letters = off
          log-dead-letters-during-shutdown = off
        }
        """);

    private static readonly Config Tuned = ConfigurationFactory.ParseString("akka.actor.default-dispatcher.throughput = 300").WithFallback(Quiet);

    private ActorSystem NewSystem() => ActorSystem.Create("bench", _tuned ? Tuned : Quiet);

    /// <summary>
    /// The Props of an actor: by default <c>Props.Create&lt;T&gt;(args)</c> (Akka finds the constructor for
    /// <paramref name="args"/> and calls it by reflection for every actor); tuned, <paramref name="produce"/> through an
    /// <see cref="IIndirectActorProducer"/>. The arguments are given twice because the two forms need them differently.
    /// </summary>
    private Props Make<T>(Func<T> produce, params object[] args) where T : ActorBase =>
        _tuned ? Props.CreateBy(new Producer<T>(produce)) : Props.Create<T>(args);

    private sealed class Producer<T>(Func<T> produce) : IIndirectActorProducer where T : ActorBase
    {
        public Type ActorType => typeof(T);
        public ActorBase Produce() => produce();
        public void Release(ActorBase actor) { }
    }

    private async Task<T> Using<T>(Func<ActorSystem, Task<T>> body)
    {
        var system = NewSystem();
        try
        {
            return await body(system);
        }
        finally
        {
            await system.Terminate().WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    // ---- echo: the relay creates each worker with the request (its constructor's arguments) ----

    public override Task<EchoRun> Echo(LatencyLog[] logs, TimeSpan timeout) => Using(async system =>
    {
        var exits = new ExitCounter(LatencyLog.Total(logs));
        system.ActorOf(Make(() => new Relay(this, exits), this, exits), "relay");
        var relay = await system.ActorSelection("/user/relay").ResolveOne(TimeSpan.FromSeconds(10));
        var done = new Countdown(logs.Length);
        long start = Now();
        foreach (var log in logs) system.ActorOf(Make(() => new Requester(relay, log, done), relay, log, done));
        return await FinishEcho(start, done.Task, exits, logs, timeout);
    });

    private sealed class Relay : ReceiveActor
    {
        public Relay(AkkaBench bench, ExitCounter exits)
        {
            Receive<EchoRequest>(r =>
            {
                var replyTo = Sender;
                var data = r.Data;
                Context.Watch(Context.ActorOf(bench.Make(() => new Worker(replyTo, data), replyTo, data)));
            });
            Receive<Terminated>(_ => exits.Saw());
        }
    }

    /// <summary>Replies as it starts and stops: its work came with its creation.</summary>
    private sealed class Worker(IActorRef replyTo, string data) : ReceiveActor
    {
        protected override void PreStart()
        {
            replyTo.Tell(new Reply(data), Self);
            Context.Stop(Self);
        }
    }

    private sealed class Requester : ReceiveActor
    {
        private readonly IActorRef _relay;
        private readonly LatencyLog _log;
        private int _i;
        private long _t0;

        public Requester(IActorRef relay, LatencyLog log, Countdown done)
        {
            _relay = relay;
            _log = log;
            Receive<Reply>(_ =>
            {
                _log.Ticks[_i++] = Now() - _t0;
                if (_i < _log.Count) Request();
                else
                {
                    done.Signal();
                    Context.Stop(Self);
                }
            });
        }

        protected override void PreStart() => Request();

        private void Request()
        {
            _t0 = Now();
            _relay.Tell(new EchoRequest("ping"), Self);
        }
    }

    // ---- spawn + one message + exit, watched ----

    public override Task<long> Spawn(int children, int window, TimeSpan timeout) => Using(async system =>
    {
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        system.ActorOf(Make(() => new SpawnParent(this, children, window, done), this, children, window, done));
        return await done.Task.WaitAsync(timeout);
    });

    private sealed class SpawnParent : ReceiveActor
    {
        private readonly Props _childProps;
        private readonly int _children;
        private readonly int _window;
        private int _spawned;
        private int _exited;
        private long _start;

        public SpawnParent(AkkaBench bench, int children, int window, TaskCompletionSource<long> done)
        {
            _childProps = bench._spawnChildProps;
            _children = children;
            _window = window;
            Receive<Terminated>(_ =>
            {
                _exited++;
                if (_spawned < _children) SpawnOne();
                if (_exited == _children) done.SetResult(Now() - _start);
            });
        }

        protected override void PreStart()
        {
            _start = Now();
            while (_spawned < Math.Min(_window, _children)) SpawnOne();
        }

        private void SpawnOne()
        {
            var child = Context.ActorOf(_childProps);
            Context.Watch(child);
            child.Tell(Go.Instance);
            _spawned++;
        }
    }

    private sealed class SpawnChild : ReceiveActor
    {
        public SpawnChild() => Receive<Go>(_ => Context.Stop(Self));
    }

    // ---- idle ----

    public override async Task<IdleRun> Idle(string[] names, TimeSpan timeout)
    {
        var system = NewSystem();
        var parked = new Countdown(names.Length);
        var props = Make(() => new IdleActor(parked), parked);
        IActorRef? parent = _tuned ? system.ActorOf(Make(() => new IdleParent(props), props), "idle") : null;
        long heapBefore = Memory.SettledHeap(), rssBefore = Memory.Rss();
        long start = Now();
        if (parent is null) foreach (var name in names) system.ActorOf(props, name);
        else parent.Tell(names);
        await parked.Task.WaitAsync(timeout);
        long spawnTicks = Now() - start;
        await Task.Delay(200);
        long heapAfter = Memory.SettledHeap(), rssAfter = Memory.Rss();
        var check = await system.ActorSelection((parent is null ? "/user/" : "/user/idle/") + names[^1]).ResolveOne(TimeSpan.FromSeconds(10));
        GC.KeepAlive(check);
        var run = new IdleRun(names.Length, Stats.Seconds(spawnTicks), heapBefore, heapAfter, rssBefore, rssAfter);
        await system.Terminate().WaitAsync(TimeSpan.FromSeconds(60));
        return run;
    }

    /// <summary>The tuned configuration's one parent of every idle actor.</summary>
    private sealed class IdleParent : ReceiveActor
    {
        public IdleParent(Props props) => Receive<string[]>(names =>
        {
            foreach (var name in names) Context.ActorOf(props, name);
        });
    }

    private sealed class IdleActor : ReceiveActor
    {
        private readonly Countdown _parked;

        public IdleActor(Countdown parked)
        {
            _parked = parked;
            Receive<Go>(_ => { });
        }

        protected override void PreStart() => _parked.Signal();
    }

    // ---- ping-pong ----

    public override Task<long> PingPong(int pairs, int window, int roundTrips, TimeSpan timeout) => Using(async system =>
    {
        var done = new Countdown(pairs);
        var ponger = Make(() => new Ponger());
        var pingers = new IActorRef[pairs];
        for (int i = 0; i < pairs; i++)
        {
            var pong = system.ActorOf(ponger);
            pingers[i] = system.ActorOf(Make(() => new Pinger(pong, window, roundTrips, done), pong, window, roundTrips, done));
        }
        await Task.Delay(100);   // actors created and idle before the clock starts
        long start = Now();
        foreach (var pinger in pingers) pinger.Tell(Go.Instance);
        await done.Task.WaitAsync(timeout);
        return Now() - start;
    });

    private sealed class Ping { public static readonly Ping Instance = new(); }
    private sealed class Pong { public static readonly Pong Instance = new(); }

    private sealed class Ponger : ReceiveActor
    {
        public Ponger() => Receive<Ping>(_ => Sender.Tell(Pong.Instance));
    }

    private sealed class Pinger : ReceiveActor
    {
        private int _sent;
        private int _received;

        public Pinger(IActorRef ponger, int window, int total, Countdown done)
        {
            Receive<Go>(_ =>
            {
                for (; _sent < Math.Min(window, total); _sent++) ponger.Tell(Ping.Instance, Self);
            });
            Receive<Pong>(_ =>
            {
                _received++;
                if (_sent < total)
                {
                    ponger.Tell(Ping.Instance, Self);
                    _sent++;
                }
                if (_received == total) done.Signal();
            });
        }
    }

    // ---- round trip: the ping-pong workload's ponger, one ping in flight ----

    public override Task<RoundTripRun> RoundTrip(LatencyLog log, TimeSpan timeout) => Using(async system =>
    {
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var ponger = system.ActorOf(Make(() => new Ponger()));
        system.ActorOf(Make(() => new RoundTripper(ponger, log, done), ponger, log, done));
        return new RoundTripRun(await done.Task.WaitAsync(timeout), log, ClockNs);
    });

    /// <summary>A of the round trip: pings from PreStart and on every pong, one timestamp per pong.</summary>
    private sealed class RoundTripper : ReceiveActor
    {
        private readonly IActorRef _ponger;
        private int _i;
        private long _start;
        private long _previous;

        public RoundTripper(IActorRef ponger, LatencyLog log, TaskCompletionSource<long> done)
        {
            _ponger = ponger;
            Receive<Pong>(_ =>
            {
                long now = Now();
                log.Ticks[_i++] = now - _previous;
                _previous = now;
                if (_i < log.Count) _ponger.Tell(Ping.Instance, Self);
                else done.SetResult(now - _start);
            });
        }

        protected override void PreStart()
        {
            _start = _previous = Now();
            _ponger.Tell(Ping.Instance, Self);
        }
    }

    // ---- skynet: each node is created, told its work in one message, and replies to that message's sender ----

    public override Task<(long Ticks, long Sum)> Skynet(int leaves, TimeSpan timeout) => Using(async system =>
    {
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        long start = Now();
        system.ActorOf(Make(() => new SkynetRoot(this, leaves, done), this, (long)leaves, done));
        long sum = await done.Task.WaitAsync(timeout);
        return (Now() - start, sum);
    });

    private sealed class SkynetRoot : ReceiveActor
    {
        public SkynetRoot(AkkaBench bench, long leaves, TaskCompletionSource<long> done)
        {
            Context.ActorOf(bench._skynetNodeProps).Tell(new SkynetStart(0, leaves), Self);
            Receive<long>(sum => done.SetResult(sum));
        }
    }

    /// <summary>A child of the node that started it: Akka tells a parent when its child stops (a system message, always).</summary>
    private sealed class SkynetNode : ReceiveActor
    {
        private IActorRef _replyTo = ActorRefs.Nobody;
        private long _sum;
        private int _pending;

        public SkynetNode()
        {
            Receive<SkynetStart>(s =>
            {
                if (s.Size == 1)
                {
                    Sender.Tell(s.Num, Self);
                    Context.Stop(Self);
                    return;
                }
                _replyTo = Sender;
                long sub = s.Size / 10;
                _pending = 10;
                var props = Context.Props;
                for (int i = 0; i < 10; i++) Context.ActorOf(props).Tell(new SkynetStart(s.Num + i * sub, sub), Self);
            });
            Receive<long>(n =>
            {
                _sum += n;
                if (--_pending == 0)
                {
                    _replyTo.Tell(_sum, Self);
                    Context.Stop(Self);
                }
            });
        }
    }

    // ---- fan-out ----

    public override Task<long> Fanout(int subscribers, int rounds, TimeSpan timeout) => Using(async system =>
    {
        var done = new Countdown(subscribers);
        var subProps = Make(() => new Subscriber(rounds, done), rounds, done);
        var subs = new IActorRef[subscribers];
        for (int i = 0; i < subscribers; i++) subs[i] = system.ActorOf(subProps);
        var publisher = system.ActorOf(Make(() => new Publisher(subs, rounds), subs, rounds));
        await Task.Delay(100);
        long start = Now();
        publisher.Tell(Go.Instance);
        await done.Task.WaitAsync(timeout);
        return Now() - start;
    });

    private sealed class Subscriber : ReceiveActor
    {
        private int _seen;

        public Subscriber(int rounds, Countdown done) => Receive<Tick>(_ =>
        {
            if (++_seen == rounds) done.Signal();
        });
    }

    private sealed class Publisher : ReceiveActor
    {
        public Publisher(IActorRef[] subs, int rounds) => Receive<Go>(_ =>
        {
            for (int r = 0; r < rounds; r++)
                foreach (var sub in subs) sub.Tell(Tick.Instance, Self);
        });
    }
}
