using System.Diagnostics;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Proto;
using Proto.Remote;
using Proto.Remote.GrpcNet;
using Wisp.Workloads;

namespace Wisp.Remote;

/// <summary>
/// Proto.Remote, as its documentation and its own remote benchmark do: an ActorSystem with the GrpcNet remote
/// (<c>GrpcNetRemoteConfig.BindToLocalhost</c>, default settings) and protobuf messages registered with
/// <c>WithProtoMessages</c> (the well-known wrappers: BytesValue for the payload, Int64Value for the marker and the
/// count), IActor with a switch on the message, B's actors spawned with <c>SpawnNamed</c> and addressed from A with
/// <c>PID.FromAddress</c>, one-way sends with <c>Send</c> from the root context, echo with <c>Request</c>/<c>Respond</c>
/// from a requester actor, the marker with <c>RequestAsync</c>.
/// </summary>
public sealed class ProtoRemote : RemoteRuntime
{
    private static readonly BytesValue Message = new() { Value = ByteString.CopyFrom(Payload.Bytes) };

    public override string Name => "proto";

    private static async Task<ActorSystem> Start(int port)
    {
        var system = new ActorSystem().WithRemote(RemoteConfig.BindToLocalhost(port).WithProtoMessages(WrappersReflection.Descriptor));
        await system.Remote().StartAsync();
        return system;
    }

    // ---- node B ----

    public override async Task Serve(int port, TimeSpan timeout)
    {
        var system = await Start(port).WaitAsync(timeout);
        system.Root.SpawnNamed(Props.FromProducer(() => new Sink()), "sink");
        system.Root.SpawnNamed(Props.FromProducer(() => new Echo()), "echo");
    }

    /// <summary>Counts payloads; a marker (an Int64Value) is answered with the count since the previous one.</summary>
    private sealed class Sink : IActor
    {
        private long _count;

        public Task ReceiveAsync(IContext context)
        {
            switch (context.Message)
            {
                case BytesValue:
                    _count++;
                    break;
                case Int64Value:
                    context.Respond(new Int64Value { Value = _count });
                    _count = 0;
                    break;
            }
            return Task.CompletedTask;
        }
    }

    private sealed class Echo : IActor
    {
        public Task ReceiveAsync(IContext context)
        {
            if (context.Message is BytesValue payload) context.Respond(payload);
            return Task.CompletedTask;
        }
    }

    // ---- node A ----

    public override async Task<IRemoteClient> Connect(int port, Sizes sizes, TimeSpan timeout)
    {
        var system = await Start(0).WaitAsync(timeout);
        var address = $"127.0.0.1:{port}";
        return new Client(system, PID.FromAddress(address, "sink"), PID.FromAddress(address, "echo"));
    }

    private sealed class Client(ActorSystem system, PID sink, PID echo) : IRemoteClient
    {
        public async Task<OneWayRun> OneWay(int messages, Action<int> progress, TimeSpan timeout)
        {
            var root = system.Root;
            long start = Stopwatch.GetTimestamp();
            for (int sent = 1; sent <= messages; sent++)
            {
                root.Send(sink, Message);
                if (sent % 1_000_000 == 0) progress(sent);
            }
            long sendTicks = Stopwatch.GetTimestamp() - start;
            var counted = await root.RequestAsync<Int64Value>(sink, new Int64Value(), timeout);
            return new OneWayRun(sendTicks, Stopwatch.GetTimestamp() - start, counted.Value, 0);
        }

        public async Task<EchoRun> Echo(LatencyLog[] logs, TimeSpan timeout)
        {
            var done = new Countdown(logs.Length);
            long start = Stopwatch.GetTimestamp();
            foreach (var log in logs) system.Root.Spawn(Props.FromProducer(() => new Requester(echo, log, done)));
            await done.Task.WaitAsync(timeout);
            return new EchoRun(Stopwatch.GetTimestamp() - start, logs);
        }
    }

    private sealed class Requester(PID echo, LatencyLog log, Countdown done) : IActor
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
                case BytesValue reply:
                    log.Ticks[_i++] = Stopwatch.GetTimestamp() - _t0;
                    Payload.Check(reply.Value.Length);
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
            _t0 = Stopwatch.GetTimestamp();
            context.Request(echo, Message);
        }
    }
}
