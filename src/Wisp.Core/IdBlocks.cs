namespace Wisp;

/// <summary>
/// PID ids, handed out a block at a time to each core: two cores spawning at once would otherwise pass one counter's
/// cache line between them at every spawn, and the processes each core spawns would share pages of
/// <see cref="ProcessTable"/> (whose live counts every add and exit writes) with the other. A block is one page.
/// Ids of one slot increase. Spawns from outside any process (a node's own, a test's) take theirs from a slot of their
/// own, which starts with block 0: the first 63 are 1, 2, 3… whatever processes spawn meanwhile, so a restarted node
/// gives its first processes the ids the last life's had.
///
/// Invariants:
/// - block b covers ids b·<see cref="BlockSize"/> … b·<see cref="BlockSize"/> + <see cref="BlockSize"/> − 1; block 0
///   belongs to the outside slot from the start (its id 0 is never handed out), later blocks are taken once each from
///   <see cref="_lastBlock"/>;
/// - a slot holds the last id handed out from its block; a block is used up when that id is its last. An id is handed
///   out by moving the slot onto it with a compare-and-swap, so threads sharing a slot (one moved to another core
///   between reading its core and handing out) each get a different id; a block taken by a thread that then loses
///   that race is never used;
/// - slots are <see cref="Stride"/> longs apart, so no two share a 128-byte line.
/// </summary>
internal sealed class IdBlocks
{
    public const int BlockBits = 6;
    public const int BlockSize = 1 << BlockBits;
    private const int Stride = 16;
    private const long UsedUp = BlockSize - 1;   // a core slot's start: the last id of block 0, which is not its

    private readonly long[] _slots;   // slot 0: outside any process; slot 1 + c: core c
    private readonly int _cores;
    private long _lastBlock;

    public IdBlocks()
    {
        _cores = Environment.ProcessorCount;
        _slots = new long[(_cores + 2) * Stride];
        for (int core = 0; core < _cores; core++) _slots[Slot(core + 1)] = UsedUp;
    }

    /// <summary>A new id: from the calling core's block when <paramref name="byCore"/> (a process spawning), else the outside slot's.</summary>
    public ulong Next(bool byCore)
    {
        ref long slot = ref _slots[Slot(byCore ? Thread.GetCurrentProcessorId() % _cores + 1 : 0)];
        while (true)
        {
            long last = Volatile.Read(ref slot);
            long next = (last & (BlockSize - 1)) != BlockSize - 1 ? last + 1 : Interlocked.Increment(ref _lastBlock) << BlockBits;
            if (Interlocked.CompareExchange(ref slot, next, last) == last) return (ulong)next;
        }
    }

    /// <summary>Whether some slot may still hand out ids of <paramref name="block"/> (it is its block and not used up).</summary>
    public bool IsHandingOut(ulong block)
    {
        for (int i = 0; i <= _cores; i++)
        {
            long last = Volatile.Read(ref _slots[Slot(i)]);
            if ((ulong)last >> BlockBits == block && (last & (BlockSize - 1)) != BlockSize - 1) return true;
        }
        return false;
    }

    /// <summary>Slot i's place in the array: a stride of padding before the first, so none shares a line with another object.</summary>
    private static int Slot(int i) => (i + 1) * Stride;
}
