using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Wisp.Lua.Native;

/// <summary>
/// The allocator of one Lua state, and the ledger of who holds its memory. Several processes share a state (a
/// shard), so each block carries, in 8 bytes before it, the slot of the process that allocated it; a free or a
/// resize charges that slot, whoever runs when the collector frees it. A process's charge is what it holds.
///
/// Invariants:
/// - <c>_charges[s]</c> is the sum of the sizes of the live blocks tagged <c>s</c>; slot 0 is the state's own
///   (libraries, prelude, compiled scripts) and has no limit;
/// - a slot is handed out again only when its charge is 0, so no live block is ever tagged with a slot that
///   belongs to another process; a released slot whose charge is not yet 0 (its garbage is still to be collected)
///   waits in <c>_draining</c> and is freed by the free that brings it to 0;
/// - an allocation fails (returns null, which Lua turns into "not enough memory" inside the running process) only
///   for the current process, past its limit, while Lua code of it runs and no C# callback is on the stack
///   (<see cref="MayFail"/>): a failure anywhere else would raise a Lua error across C# frames, or at no
///   protected call at all.
/// The state, and so this ledger, is used by one thread at a time (its shard's); nothing here is locked.
/// </summary>
internal sealed unsafe class LuaMemory
{
    private long[] _charges = new long[64];
    private long[] _limits = new long[64];
    private bool[] _exceeded = new bool[64];
    private readonly Stack<int> _free = new();
    private readonly HashSet<int> _draining = [];
    private int _nextSlot = 1;

    /// <summary>The slot charged for new blocks: the process whose Lua code runs, or 0.</summary>
    public int Current;

    /// <summary>True while Lua code of the current process runs and no C# callback is active (see the invariants).</summary>
    public bool MayFail;

    /// <summary>Bytes held by all the state's live blocks.</summary>
    public long Total { get; private set; }

    public long ChargeOf(int slot) => _charges[slot];

    /// <summary>A new slot for a process, with its limit (0: none).</summary>
    public int Acquire(long limit)
    {
        int slot = _free.Count > 0 ? _free.Pop() : _nextSlot++;
        if (slot >= _charges.Length)
        {
            Array.Resize(ref _charges, _charges.Length * 2);
            Array.Resize(ref _limits, _limits.Length * 2);
            Array.Resize(ref _exceeded, _exceeded.Length * 2);
        }
        Debug.Assert(_charges[slot] == 0, "a slot is reused only once its blocks are all freed");
        _limits[slot] = limit;
        _exceeded[slot] = false;
        return slot;
    }

    /// <summary>The process has ended: its slot is reused once the collector has freed its last block.</summary>
    public void Release(int slot)
    {
        _limits[slot] = 0;
        if (_charges[slot] == 0) _free.Push(slot);
        else _draining.Add(slot);
    }

    /// <summary>True once an allocation of the slot's process failed on its limit (reset by the check).</summary>
    public bool TakeExceeded(int slot)
    {
        bool exceeded = _exceeded[slot] || (_limits[slot] > 0 && _charges[slot] > _limits[slot]);
        _exceeded[slot] = false;
        return exceeded;
    }

    public long LimitOf(int slot) => _limits[slot];

    /// <summary>The allocator given to lua_newstate: <paramref name="ud"/> is a GCHandle to the ledger.</summary>
    [UnmanagedCallersOnly]
    public static nint Allocate(nint ud, nint block, nuint oldSize, nuint newSize)
    {
        var ledger = Unsafe.As<LuaMemory>(GCHandle.FromIntPtr(ud).Target!);
        if (newSize == 0)
        {
            if (block != 0) ledger.Free((long*)block - 1, (long)oldSize);
            return 0;
        }
        return block == 0 ? ledger.New((long)newSize) : ledger.Resize((long*)block - 1, (long)oldSize, (long)newSize);
    }

    private nint New(long size)
    {
        int slot = Current;
        if (WouldExceed(slot, size)) return 0;
        var header = (long*)NativeMemory.Alloc((nuint)(size + sizeof(long)));
        if (header == null) return 0;
        *header = slot;
        _charges[slot] += size;
        Total += size;
        return (nint)(header + 1);
    }

    private nint Resize(long* header, long oldSize, long newSize)
    {
        int slot = (int)*header;
        long growth = newSize - oldSize;
        if (growth > 0 && slot == Current && WouldExceed(slot, growth)) return 0;   // shrinking never fails (Lua relies on it)
        var moved = (long*)NativeMemory.Realloc(header, (nuint)(newSize + sizeof(long)));
        if (moved == null) return 0;
        Charge(slot, growth);
        return (nint)(moved + 1);
    }

    private void Free(long* header, long size)
    {
        int slot = (int)*header;
        NativeMemory.Free(header);
        Charge(slot, -size);
        if (_charges[slot] == 0 && _draining.Remove(slot)) _free.Push(slot);
    }

    private void Charge(int slot, long delta)
    {
        _charges[slot] += delta;
        Total += delta;
    }

    private bool WouldExceed(int slot, long size)
    {
        if (!MayFail || slot == 0 || _limits[slot] == 0 || _charges[slot] + size <= _limits[slot]) return false;
        _exceeded[slot] = true;
        return true;
    }
}
