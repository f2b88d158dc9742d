using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using Wisp.Workloads;

namespace Wisp.Remote;

/// <summary>
/// Akka.NET remote actors, as its documentation recommends: an ActorSystem with the <c>remote</c> provider on its
/// DotNetty TCP transport (default settings but for the address, quieter logging and the event-loop pools Wisp's own
/// engine sets, one loop per two cores, so both run the same transport), ReceiveActor, B's actors named
/// with <c>ActorOf(props, name)</c>, A's ActorSelection of each resolved once to an IActorRef, Tell everywhere (Ask
/// only for the one-off marker), a requester actor that takes the replies, the default dispatcher. Payloads are
/// byte arrays (Akka's built-in ByteArraySerializer); the marker and the count are longs (Akka.Remote's primitive serializer).
/// </summary>
public sealed class AkkaRemote : RemoteRuntime
{
    private const string SystemName = "bench";

    public override string Name => "akka";

    private static ActorSystem NewSystem(int port) => ActorSystem.Create(SystemName, ConfigurationFactory.ParseString($$"""
        akka {
          loglevel = WARNING
          stdout-loglevel = WARNING
          log-dead-letters = off
          log-dead-letters-during-shutdown = off
          actor.provider = remote
          remote.dot-netty.tcp {
            hostname = "127.0.0.1"
            port = {{port}}
            server-socket-worker-pool { pool-size-min = 1, pool-size-factor = 0.5, pool-size-max = 2 }
            client-socket-worker-pool { pool-size-min = 1, pool-size-factor = 0.5, pool-size-max = 2 }
          }
        }
        """));

    // ---- node B ----

    public override Task Serve(int port, TimeSpan timeout)
    {
        var system = NewSystem(port);
        system.ActorOf(Props.Create<Sink>(), "sink");
        system.ActorOf(Props.Create<Echo>(), "echo");
        return Task.CompletedTask;
    }

    /// <summary>Counts payloads; a marker (a long) is answered with the count since the previous one.</summary>
    private sealed class Sink : ReceiveActor
    {
        private long _count;

        public Sink()
        {
            Receive<byte[]>(_ => _count++);
            Receive<long>(_ =>
            {
                Sender.Tell(_count);
                _count = 0;
            });
        }
    }

    private sealed class Echo : ReceiveActor
    {
        public Echo() => Receive<byte[]>(payload => Sender.Tell(payload));
    }

    // ---- node A ----

    public override async Task<IRemoteClient> Connect(int port, Sizes sizes, TimeSpan timeout)
    {
        var system = NewSystem(0);
        var root = $"akka.tcp://{SystemName}@127.0.0.1:{port}/user/";
        var sink = await system.ActorSelection(root + "sink").ResolveOne(timeout);
        var echo = await system.ActorSelection(root + "echo").ResolveOne(timeout);
        return new Client(system, sink, echo);
    }

    private sealed class Client(ActorSystem system, IActorRef sink, IActorRef echo) : IRemoteClient
    {
        public async Task<OneWayRun> OneWay(int messages, Action<int> progress, TimeSpan timeout)
        {
            var payload = Payload.Bytes;
            long start = Stopwatch.GetTimestamp();
            for (int sent = 1; sent <= messages; sent++)
            {
                sink.Tell(payload, ActorRefs.NoSender);
                if (sent % 1_000_000 == 0) progress(sent);
            }
            long sendTicks = Stopwatch.GetTimestamp() - start;
            long counted = await sink.Ask<long>(0L, timeout);
            return new OneWayRun(sendTicks, Stopwatch.GetTimestamp() - start, counted, 0);
        }

        public async Task<EchoRun> Echo(LatencyLog[] logs, TimeSpan timeout)
        {
            var done = new Countdown(logs.Length);
            long start = Stopwatch.GetTimestamp();
            foreach (var log in logs) system.ActorOf(Props.Create(() => new Requester(echo, log, done)));
            await done.Task.WaitAsync(timeout);
            return new EchoRun(Stopwatch.GetTimestamp() - start, logs);
        }
    }

    private sealed class Requester : ReceiveActor
    {
        private readonly IActorRef _echo;
        private readonly LatencyLog _log;
        private int _i;
        private long _t0;

        public Requester(IActorRef echo, LatencyLog log, Countdown done)
        {
            _echo = echo;
            _log = log;
            Receive<byte[]>(reply =>
            {
                _log.Ticks[_i++] = Stopwatch.GetTimestamp() - _t0;
                Payload.Check(reply.Length);
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
            _t0 = Stopwatch.GetTimestamp();
            _echo.Tell(Payload.Bytes, Self);
        }
    }
}
