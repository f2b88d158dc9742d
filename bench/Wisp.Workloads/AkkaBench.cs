using Akka.Actor;
using Akka.Configuration;

namespace Wisp.Workloads;

/// <summary>
/// The workloads on Akka.NET, as its documentation recommends: ReceiveActor, Props created once and reused,
/// Tell (never Ask inside the workload), Context.Watch + Terminated for monitors, names given through
/// ActorOf(props, name) and looked up with ActorSelection (resolved once to an IActorRef, as the docs advise).
/// Everything else is the default configuration; only logging is quietened.
/// </summary>
public sealed class AkkaBench : RuntimeBench
{
    public override string Name => "akka";

    private static readonly Config Quiet = ConfigurationFactory.ParseString("""
        akka {
          loglevel = WARNING
          stdout-loglevel = WARNING
          log-dead-letters = off
          log-dead-letters-during-shutdown = off
        }
        """);

    private static ActorSystem NewSystem() => ActorSystem.Create("bench", Quiet);

    private static async Task<T> Using<T>(Func<ActorSystem, Task<T>> body)
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

    // ---- echo ----

    public override Task<EchoRun> Echo(int requests, int requesters, TimeSpan timeout) => Using(async system =>
    {
        var exits = new ExitCounter(requests);
        system.ActorOf(Props.Create(() => new Relay(exits)), "relay");
        var relay = await system.ActorSelection("/user/relay").ResolveOne(TimeSpan.FromSeconds(10));
        var logs = new LatencyLog[requesters];
        var done = new Countdown(requesters);
        for (int i = 0; i < requesters; i++) logs[i] = new LatencyLog(requests / requesters + (i < requests % requesters ? 1 : 0));
        long start = Now();
        foreach (var log in logs) system.ActorOf(Props.Create(() => new Requester(relay, log, done)));
        return await FinishEcho(start, done.Task, exits, logs, requests, timeout);
    });

    private sealed class Relay : ReceiveActor
    {
        private static readonly Props WorkerProps = Props.Create<Worker>();

        public Relay(ExitCounter exits)
        {
            Receive<EchoRequest>(r =>
            {
                var worker = Context.ActorOf(WorkerProps);
                Context.Watch(worker);
                worker.Tell(new Work(r.Data), Sender);
            });
            Receive<Terminated>(_ => exits.Saw());
        }
    }

    private sealed class Worker : ReceiveActor
    {
        public Worker()
        {
            Receive<Work>(w =>
            {
                Sender.Tell(new Reply(w.Data));
                Context.Stop(Self);
            });
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
        system.ActorOf(Props.Create(() => new SpawnParent(children, window, done)));
        return await done.Task.WaitAsync(timeout);
    });

    private sealed class SpawnParent : ReceiveActor
    {
        private static readonly Props ChildProps = Props.Create<SpawnChild>();
        private readonly int _children;
        private readonly int _window;
        private int _spawned;
        private int _exited;
        private long _start;

        public SpawnParent(int children, int window, TaskCompletionSource<long> done)
        {
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
            var child = Context.ActorOf(ChildProps);
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
        var props = Props.Create(() => new IdleActor(parked));
        long heapBefore = Memory.SettledHeap(), rssBefore = Memory.Rss();
        long start = Now();
        foreach (var name in names) system.ActorOf(props, name);
        await parked.Task.WaitAsync(timeout);
        long spawnTicks = Now() - start;
        await Task.Delay(200);
        long heapAfter = Memory.SettledHeap(), rssAfter = Memory.Rss();
        var check = await system.ActorSelection("/user/" + names[^1]).ResolveOne(TimeSpan.FromSeconds(10));
        GC.KeepAlive(check);
        var run = new IdleRun(names.Length, Stats.Seconds(spawnTicks), heapBefore, heapAfter, rssBefore, rssAfter);
        await system.Terminate().WaitAsync(TimeSpan.FromSeconds(60));
        return run;
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
        var pongers = new IActorRef[pairs];
        for (int i = 0; i < pairs; i++) pongers[i] = system.ActorOf(Props.Create<Ponger>());
        var pingers = new IActorRef[pairs];
        for (int i = 0; i < pairs; i++) pingers[i] = system.ActorOf(Props.Create(() => new Pinger(pongers[i], window, roundTrips, done)));
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

    // ---- skynet ----

    public override Task<(long Ticks, long Sum)> Skynet(int leaves, TimeSpan timeout) => Using(async system =>
    {
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        long start = Now();
        system.ActorOf(Props.Create(() => new SkynetRoot(leaves, done)));
        long sum = await done.Task.WaitAsync(timeout);
        return (Now() - start, sum);
    });

    private sealed class SkynetRoot : ReceiveActor
    {
        public SkynetRoot(long leaves, TaskCompletionSource<long> done)
        {
            Context.ActorOf(SkynetNode.NodeProps).Tell(new SkynetStart(0, leaves));
            Receive<long>(sum => done.SetResult(sum));
        }
    }

    private sealed class SkynetNode : ReceiveActor
    {
        public static readonly Props NodeProps = Props.Create<SkynetNode>();
        private long _sum;
        private int _pending;

        public SkynetNode()
        {
            Receive<SkynetStart>(s =>
            {
                if (s.Size == 1)
                {
                    Context.Parent.Tell(s.Num);
                    Context.Stop(Self);
                    return;
                }
                long sub = s.Size / 10;
                _pending = 10;
                for (int i = 0; i < 10; i++) Context.ActorOf(NodeProps).Tell(new SkynetStart(s.Num + i * sub, sub));
            });
            Receive<long>(n =>
            {
                _sum += n;
                if (--_pending == 0)
                {
                    Context.Parent.Tell(_sum);
                    Context.Stop(Self);
                }
            });
        }
    }

    // ---- fan-out ----

    public override Task<long> Fanout(int subscribers, int rounds, TimeSpan timeout) => Using(async system =>
    {
        var done = new Countdown(subscribers);
        var subProps = Props.Create(() => new Subscriber(rounds, done));
        var subs = new IActorRef[subscribers];
        for (int i = 0; i < subscribers; i++) subs[i] = system.ActorOf(subProps);
        var publisher = system.ActorOf(Props.Create(() => new Publisher(subs, rounds)));
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
