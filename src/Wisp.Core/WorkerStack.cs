using System.Diagnostics;

namespace Wisp;

/// <summary>
/// A worker's own queue in <see cref="WorkerPool"/>: its owner pushes and pops the newest item (a spawned tree is walked
/// depth first, a woken receiver runs while its message is in cache), other workers steal the oldest half.
///
/// Invariants:
/// - the items are the ring's <see cref="_count"/> slots from <see cref="_head"/> (oldest) on; every other slot is null;
/// - a spin lock (<see cref="_lock"/>) guards the ring, the head and the count; it is held for a few instructions (a steal:
///   a copy of up to 128 items) and never around a call, so a waiter spins instead of sleeping; <see cref="Count"/> is read without it (an estimate).
/// </summary>
internal sealed class WorkerStack
{
    private IThreadPoolWorkItem?[] _ring = new IThreadPoolWorkItem?[64];
    private int _head;
    private int _count;
    private LeafLock _lock;

    /// <summary>Items waiting (read from any thread without the lock: an estimate).</summary>
    public int Count => Volatile.Read(ref _count);

    public void Push(IThreadPoolWorkItem item)
    {
        _lock.Enter();
        Append(item);
        AssertInvariants();
        _lock.Exit();
    }

    /// <summary>The newest item, by the owner; null when empty.</summary>
    public IThreadPoolWorkItem? PopNewest()
    {
        if (Volatile.Read(ref _count) == 0) return null;
        _lock.Enter();
        IThreadPoolWorkItem? item = null;
        if (_count > 0)
        {
            ref var slot = ref _ring[(_head + _count - 1) & (_ring.Length - 1)];
            (item, slot) = (slot, null);
            Volatile.Write(ref _count, _count - 1);
        }
        AssertInvariants();
        _lock.Exit();
        return item;
    }

    /// <summary>The oldest item, by another worker (the monitor's hand-over to the thread pool); null when empty.</summary>
    public IThreadPoolWorkItem? StealOldest()
    {
        if (Volatile.Read(ref _count) == 0) return null;
        _lock.Enter();
        var item = _count > 0 ? TakeOldest() : null;
        AssertInvariants();
        _lock.Exit();
        return item;
    }

    /// <summary>
    /// By another worker whose own stack is empty: the oldest half of the items (at least one), as Go's runqsteal
    /// takes, so a thief that found a parent's many children runs them from its own stack instead of coming back
    /// for each. Returns the oldest to run now; the others go to <paramref name="thief"/> in their order. Null when
    /// empty. The victim's lock is released before the thief's is taken: one leaf lock at a time.
    /// </summary>
    public IThreadPoolWorkItem? StealHalf(WorkerStack thief, IThreadPoolWorkItem?[] buffer)
    {
        if (Volatile.Read(ref _count) == 0) return null;
        _lock.Enter();
        int taken = Math.Min((_count + 1) / 2, buffer.Length);
        for (int i = 0; i < taken; i++) buffer[i] = TakeOldest();
        AssertInvariants();
        _lock.Exit();
        if (taken == 0) return null;
        if (taken > 1) thief.PushRange(buffer.AsSpan(1, taken - 1));
        var first = buffer[0];
        buffer.AsSpan(0, taken).Clear();
        return first;
    }

    private void PushRange(ReadOnlySpan<IThreadPoolWorkItem?> items)
    {
        _lock.Enter();
        foreach (var item in items) Append(item);
        AssertInvariants();
        _lock.Exit();
    }

    /// <summary>Adds the newest item; under the lock.</summary>
    private void Append(IThreadPoolWorkItem? item)
    {
        if (_count == _ring.Length) Grow();
        _ring[(_head + _count) & (_ring.Length - 1)] = item;
        Volatile.Write(ref _count, _count + 1);
    }

    private IThreadPoolWorkItem? TakeOldest()
    {
        ref var slot = ref _ring[_head];
        var item = slot;
        slot = null;
        _head = (_head + 1) & (_ring.Length - 1);
        Volatile.Write(ref _count, _count - 1);
        return item;
    }

    private void Grow()
    {
        var bigger = new IThreadPoolWorkItem?[_ring.Length * 2];
        for (int i = 0; i < _count; i++) bigger[i] = _ring[(_head + i) & (_ring.Length - 1)];
        _ring = bigger;
        _head = 0;
    }

    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        Debug.Assert(_count >= 0 && _count <= _ring.Length, "count within the ring");
        Debug.Assert(_count == _ring.Length || _ring[(_head + _count) & (_ring.Length - 1)] is null, "the slot after the newest is free");
    }
}
