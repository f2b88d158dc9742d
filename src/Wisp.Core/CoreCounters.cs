namespace Wisp;

/// <summary>
/// A few counters that every core adds to at once (spawns, exits, live processes) without sharing a cache line: an add
/// goes to the block of the core the thread runs on (<see cref="Thread.GetCurrentProcessorId"/>, which .NET caches), a
/// read sums the blocks. One shared counter made every spawn and exit on two cores pass a cache line between them.
/// Invariants: each block is <see cref="Stride"/> longs and begins a stride after the previous one, so blocks never share
/// a 128-byte line whatever the array's alignment; a thread that moves to another core between reading its core and
/// adding still adds atomically, to the other block. A read is the sum at some moment during the read: it may miss
/// adds in flight, never tear one.
/// </summary>
internal sealed class CoreCounters
{
    private const int Stride = 16;   // 128 bytes of longs: a block, and the gap that keeps its neighbour off its lines

    private readonly long[] _blocks;
    private readonly int _cores;

    public CoreCounters(int counters)
    {
        if (counters is <= 0 or > Stride) throw new ArgumentOutOfRangeException(nameof(counters));
        _cores = Environment.ProcessorCount;
        _blocks = new long[(_cores + 1) * Stride];
    }

    public void Add(int counter, long value) => Interlocked.Add(ref _blocks[Block() + counter], value);

    public void Increment(int counter) => Interlocked.Increment(ref _blocks[Block() + counter]);

    public long Read(int counter)
    {
        long sum = 0;
        for (int core = 0; core < _cores; core++) sum += Volatile.Read(ref _blocks[(core + 1) * Stride + counter]);
        return sum;
    }

    /// <summary>The start of this core's block; the first stride of the array is left empty, as the gap before block 0.</summary>
    private int Block() => ((Thread.GetCurrentProcessorId() % _cores) + 1) * Stride;
}
