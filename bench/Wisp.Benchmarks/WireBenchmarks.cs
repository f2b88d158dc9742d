using BenchmarkDotNet.Attributes;
using Wisp.Cluster;

namespace Wisp.Benchmarks;

/// <summary>
/// The per-envelope cost of the cluster's wire format, without the engine: encoding one message (64-byte payload, a
/// target and a sender of other nodes, as the two-node one-way workload sends) into a batch, and reading a full batch
/// of them back (delivery a no-op). One op = one envelope.
/// </summary>
[MemoryDiagnoser]
public class WireBenchmarks
{
    public const int N = 400;   // about a 64 KiB batch of these envelopes

    private readonly FrameBuffer _buffer = new(1 << 17);
    private readonly PidCache _pids = new();
    private Pid _target;
    private Message _message = null!;
    private byte[] _frame = null!;
    private long _delivered;

    [GlobalSetup]
    public void Setup()
    {
        _target = new Pid("b", "bench:processes", 0x10002, creation: 0x5f3a9c01);
        _message = new Message("m", new Pid("a", "bench:processes", 0x10007, creation: 0x6b21e403), new byte[64]);
        Encode();
        _frame = _buffer.WrittenSpan.ToArray();
    }

    [Benchmark(OperationsPerInvoke = N)]
    public int Encode()
    {
        _buffer.Clear();
        WireFormat.WriteCreditedBatchHeader(_buffer);
        for (int i = 0; i < N; i++) WireFormat.WriteMessage(_buffer, _target, _message, 1 << 20);
        return _buffer.Written;
    }

    [Benchmark(OperationsPerInvoke = N)]
    public int Decode() => WireFormat.ReadBatch(_frame, _pids, (_, _) => _delivered++, (_, _) => _delivered++);
}
