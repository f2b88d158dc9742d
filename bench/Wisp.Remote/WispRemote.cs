using System.Diagnostics;
using Wisp.Cluster;
using Wisp.Workloads;

namespace Wisp.Remote;

/// <summary>
/// Wisp across two nodes, through its public API only: each node a <see cref="Node"/> joined with
/// <see cref="ClusterNode.StartAsync"/> (B founds the cluster, A joins it), processes spawned from catalog entries, B's
/// sink and echo registered by name in the EVENTUAL scope and looked up once on A, every send by PID with
/// <c>p.Send</c> (a prebuilt <c>p.NewMessage</c> where one message is sent again and again), replies by the sender's PID.
/// A pipelined sender meets Wisp's back-pressure as a send that fails with LimitExceeded (the queue to B is full):
/// it pauses a millisecond and sends the same message again.
/// </summary>
public sealed class WispRemote : RemoteRuntime
{
    private const string HostId = "bench:processes";
    private static readonly TimeSpan BackOff = TimeSpan.FromMilliseconds(1);

    public override string Name => "wisp";

    private static readonly ProcessCatalog Catalog = new ProcessCatalog()
        .Add("bench:sink", Sink)
        .Add("bench:echo", Echo)
        .Add("bench:pusher", Pusher)
        .Add("bench:requester", Requester);

    private static async Task<Node> Join(string name, int listen, int seed, long? maxQueuedBytes, TimeSpan timeout)
    {
        var node = new Node(ClusterNode.NodeOptions(name) with { Catalog = Catalog });
        node.AddHost(HostId);
        var options = new ClusterOptions { NodeName = name, Listen = $"127.0.0.1:{listen}", Seeds = [$"127.0.0.1:{seed}"], JoinTimeout = timeout };
        if (maxQueuedBytes is { } bound) options = options with { MaxQueuedBytes = bound };
        var cluster = await ClusterNode.StartAsync(node, options);
        // StartAsync returns once the member is up, or after its join timeout with the join still going on.
        await Until(() => cluster.IsUp, $"node {name} did not join the cluster", timeout);
        return node;
    }

    private static async Task Until(Func<bool> condition, string failure, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{failure} within {timeout.TotalSeconds:F0} s");
            await Task.Delay(20);
        }
    }

    // ---- node B ----

    public override async Task Serve(int port, TimeSpan timeout)
    {
        var node = await Join("b", port, port, null, timeout);
        var registered = new Countdown(2);
        node.Spawn("bench:sink", HostId, registered);
        node.Spawn("bench:echo", HostId, registered);
        await registered.Task.WaitAsync(timeout);
    }

    /// <summary>Counts messages; a "marker" is answered with the count since the previous one.</summary>
    private static async Task<object?> Sink(ProcessContext p)
    {
        p.Registry.Register("sink", RegistryScope.Eventual);
        ((Countdown)p.Args[0]!).Signal();
        var inbox = p.Inbox;
        long count = 0;
        while (true)
        {
            var (m, ok) = await inbox.Receive();
            if (!ok) return null;
            if (m.Topic == "marker")
            {
                p.Send(m.From, "count", count);
                count = 0;
            }
            else count++;
        }
    }

    private static async Task<object?> Echo(ProcessContext p)
    {
        p.Registry.Register("echo", RegistryScope.Eventual);
        ((Countdown)p.Args[0]!).Signal();
        var inbox = p.Inbox;
        while (true)
        {
            var (m, ok) = await inbox.Receive();
            if (!ok) return null;
            p.Send(m.From, "reply", m.Payload<byte[]>());
        }
    }

    // ---- node A ----

    public override async Task<IRemoteClient> Connect(int port, Sizes sizes, TimeSpan timeout)
    {
        var node = await Join("a", 0, port, sizes.WispQueueMb > 0 ? (long)sizes.WispQueueMb << 20 : null, timeout);
        // EVENTUAL names reach A within a gossip round or two of the join.
        await Until(() => node.Registry.Lookup("sink") is not null && node.Registry.Lookup("echo") is not null, "B's names did not reach A", timeout);
        return new Client(node, node.Registry.Lookup("sink")!.Value, node.Registry.Lookup("echo")!.Value);
    }

    private sealed class Client(Node node, Pid sink, Pid echo) : IRemoteClient
    {
        public async Task<OneWayRun> OneWay(int messages, Action<int> progress, TimeSpan timeout)
        {
            var done = new TaskCompletionSource<OneWayRun>(TaskCreationOptions.RunContinuationsAsynchronously);
            node.Spawn("bench:pusher", HostId, sink, messages, progress, done);
            return await done.Task.WaitAsync(timeout);
        }

        public async Task<EchoRun> Echo(LatencyLog[] logs, TimeSpan timeout)
        {
            var done = new Countdown(logs.Length);
            long start = Stopwatch.GetTimestamp();
            foreach (var log in logs) node.Spawn("bench:requester", HostId, echo, log, done);
            await done.Task.WaitAsync(timeout);
            return new EchoRun(Stopwatch.GetTimestamp() - start, logs);
        }
    }

    private static async Task<object?> Pusher(ProcessContext p)
    {
        var sink = (Pid)p.Args[0]!;
        int messages = (int)p.Args[1]!;
        var progress = (Action<int>)p.Args[2]!;
        var done = (TaskCompletionSource<OneWayRun>)p.Args[3]!;
        var message = p.NewMessage("m", Payload.Bytes);
        long backOffs = 0;
        long start = Stopwatch.GetTimestamp();
        for (int sent = 0; sent < messages;)
        {
            if (TrySend(p, sink, message)) sent++;
            else
            {
                backOffs++;
                await p.Sleep(BackOff);
                continue;
            }
            if (sent % 1_000_000 == 0) progress(sent);
        }
        long sendTicks = Stopwatch.GetTimestamp() - start;
        var marker = p.NewMessage("marker", null);
        while (!TrySend(p, sink, marker)) await p.Sleep(BackOff);
        var (reply, _) = await p.Inbox.Receive();
        done.SetResult(new OneWayRun(sendTicks, Stopwatch.GetTimestamp() - start, reply.Payload<long>(), backOffs));
        return null;
    }

    /// <summary>A send, or false when Wisp refuses it because the queue to the node is full (its back-pressure).</summary>
    private static bool TrySend(ProcessContext p, Pid target, Message message)
    {
        try
        {
            p.Send(target, message);
            return true;
        }
        catch (WispException e) when (e.Kind == ErrorKind.LimitExceeded)
        {
            return false;
        }
    }

    private static async Task<object?> Requester(ProcessContext p)
    {
        var echo = (Pid)p.Args[0]!;
        var log = (LatencyLog)p.Args[1]!;
        var request = p.NewMessage("echo", Payload.Bytes);
        var inbox = p.Inbox;
        for (int i = 0; i < log.Count; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            p.Send(echo, request);
            var (reply, _) = await inbox.Receive();
            log.Ticks[i] = Stopwatch.GetTimestamp() - t0;
            Payload.Check(reply.Payload<byte[]>().Length);
        }
        ((Countdown)p.Args[2]!).Signal();
        return null;
    }
}
