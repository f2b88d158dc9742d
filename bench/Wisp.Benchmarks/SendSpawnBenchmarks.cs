using BenchmarkDotNet.Attributes;

namespace Wisp.Benchmarks;

/// <summary>
/// Local sends and spawn + exit, from inside one long-lived process (see <see cref="ProcessRunner"/>).
/// Allocation is measured process-wide, so the receiving side (routing, the receiver's waits) is included.
/// Target in issue 3: a local send of a pre-built message allocates 0 B.
/// </summary>
[MemoryDiagnoser]
public class SendSpawnBenchmarks
{
    public const int N = 10_000;
    public const int Spawns = 1_000;
    private static readonly Task<object?> Nothing = Task.FromResult<object?>(null);

    private ProcessRunner _runner = null!;
    private Message _toSelf = null!, _toSink = null!, _sync = null!;
    private Pid _sink;
    private static Pid s_parent;
    private static int s_remaining;

    private Func<ProcessContext, ValueTask> _sendSelfOp = null!, _sendSelfAllocOp = null!, _sendSinkOp = null!,
        _spawnMonitoredOp = null!, _spawnOp = null!;

    [GlobalSetup]
    public void Setup()
    {
        var catalog = new ProcessCatalog()
            .Add("bench:sink", Sink)
            .Add("bench:child", static _ => Nothing)
            .Add("bench:child-counted", CountedChild);
        _runner = new ProcessRunner(catalog);
        _runner.Run(p =>
        {
            _toSelf = p.NewMessage("m", null);
            _toSink = p.NewMessage("m", null);
            _sync = p.NewMessage("sync", null);
            _sink = p.Spawn("bench:sink", ProcessRunner.HostId);
            s_parent = p.Pid;
            return ValueTask.CompletedTask;
        });
        _sendSelfOp = SendToSelf;
        _sendSelfAllocOp = SendToSelfNewMessage;
        _sendSinkOp = SendToSink;
        _spawnMonitoredOp = SpawnMonitoredExit;
        _spawnOp = SpawnExit;
    }

    [GlobalCleanup]
    public void Cleanup() => _runner.Dispose();

    /// <summary><c>p.Send(pid, message)</c> of a pre-built message to itself, then routed to and received from its inbox: one op = send + route + receive.</summary>
    [Benchmark(OperationsPerInvoke = N)]
    public void LocalSend_Prebuilt_ToSelf() => _runner.Run(_sendSelfOp);

    private async ValueTask SendToSelf(ProcessContext p)
    {
        var (self, message, inbox) = (p.Pid, _toSelf, p.Inbox);
        for (int i = 0; i < N; i++) p.Send(self, message);
        await Drain(inbox, N);
    }

    /// <summary>For contrast: <c>p.Send(pid, topic, payload)</c>, which builds a Message per send.</summary>
    [Benchmark(OperationsPerInvoke = N)]
    public void LocalSend_NewMessage_ToSelf() => _runner.Run(_sendSelfAllocOp);

    private async ValueTask SendToSelfNewMessage(ProcessContext p)
    {
        var (self, inbox) = (p.Pid, p.Inbox);
        for (int i = 0; i < N; i++) p.Send(self, "m", null);
        await Drain(inbox, N);
    }

    private static async ValueTask Drain(ReceiveChannel<Message> inbox, int count)
    {
        await inbox.Receive();               // lets the loop route the mailbox (parks once)
        for (int i = 1; i < count; i++)
            if (!inbox.TryReceive(out _, out _)) throw new InvalidOperationException("message missing");
    }

    /// <summary>
    /// Pre-built message to another process that drains it on another thread; the invocation ends when the sink
    /// answers a final "sync" (so its draining is inside the measurement): one op = one message through.
    /// </summary>
    [Benchmark(OperationsPerInvoke = N)]
    public void LocalSend_Prebuilt_ToOtherProcess() => _runner.Run(_sendSinkOp);

    private async ValueTask SendToSink(ProcessContext p)
    {
        var (sink, message) = (_sink, _toSink);
        for (int i = 0; i < N; i++) p.Send(sink, message);
        p.Send(sink, _sync);
        await p.Inbox.Receive();
    }

    private static async Task<object?> Sink(ProcessContext p)
    {
        var inbox = p.Inbox;
        Message? ack = null;
        while (true)
        {
            var (m, ok) = await inbox.Receive();
            if (!ok) return null;
            if (m.Topic == "sync") p.Send(m.From, ack ??= p.NewMessage("ack", null));
        }
    }

    /// <summary>SpawnMonitored of a child that returns at once; one op = spawn + run + exit + EXIT received by the parent.</summary>
    [Benchmark(OperationsPerInvoke = Spawns)]
    public void SpawnMonitoredExit() => _runner.Run(_spawnMonitoredOp);

    private static async ValueTask SpawnMonitoredExit(ProcessContext p)
    {
        for (int i = 0; i < Spawns; i++) p.SpawnMonitored("bench:child", ProcessRunner.HostId);
        var events = p.Events;
        for (int i = 0; i < Spawns; i++) await events.Receive();
    }

    /// <summary>Spawn (no monitor) of a child that returns at once; the last child to run tells the parent. One op = spawn + run + exit.</summary>
    [Benchmark(OperationsPerInvoke = Spawns)]
    public void SpawnExit() => _runner.Run(_spawnOp);

    private static async ValueTask SpawnExit(ProcessContext p)
    {
        Volatile.Write(ref s_remaining, Spawns);
        for (int i = 0; i < Spawns; i++) p.Spawn("bench:child-counted", ProcessRunner.HostId);
        await p.Inbox.Receive();
    }

    private static Task<object?> CountedChild(ProcessContext c)
    {
        if (Interlocked.Decrement(ref s_remaining) == 0) c.Send(s_parent, "done", null);
        return Nothing;
    }
}
