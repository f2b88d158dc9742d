using System.Diagnostics;

namespace Wisp;

/// <summary>
/// The cross-thread half of a process's mailbox: any thread appends, only the owning process's loop takes,
/// and it takes everything at once (one lock per batch, not per item) by swapping two buffers.
///
/// Invariants:
/// - items leave in the order they entered (FIFO), so messages from one sender keep their order;
/// - <see cref="Count"/> is the number of items appended and not yet taken; a reader on another thread may
///   see a stale value, which is why the loop re-checks it after clearing its scheduled flag (Process.cs);
/// - the taken batch belongs to the loop until its next <see cref="TakeAll"/>: senders only touch the other
///   buffer;
/// - a spin lock (<see cref="_lock"/>) guards the incoming buffer and the count; it is held for a few
///   instructions and never around user code, so a waiter spins instead of sleeping (a Monitor's native
///   enter/exit was a fifth of ping-pong's time) and it costs 4 bytes, not a lock object;
/// - <see cref="Enqueue"/> releases it with a full fence, so a poster that reads the process's scheduled flag
///   next reads it after its item is visible (the lost-wake-up rule of Process.cs).
/// Items are messages, events and loop actions; routing them to channels is the loop's job (Process.cs).
/// A struct held in its process (a field, never copied): a separate object cost 24 B per process.
/// </summary>
internal struct Mailbox
{
    private object?[] _incoming;
    private object?[] _taken;

    public Mailbox()
    {
        _incoming = [];
        _taken = [];
    }
    private int _count;
    private int _lock;   // 1 while a thread holds the buffers: a spin lock, as each hold is a few instructions

    public int Count => Volatile.Read(ref _count);
    public bool IsEmpty => Volatile.Read(ref _count) == 0;

    /// <summary>Appends an item; returns the number of items held before it.</summary>
    public int Enqueue(object item)
    {
        Enter();
        int count = _count;
        try
        {
            if (count == _incoming.Length) Array.Resize(ref _incoming, Math.Max(4, count * 2));
            _incoming[count] = item;
            Volatile.Write(ref _count, count + 1);
            AssertInvariants();
        }
        finally
        {
            Interlocked.Exchange(ref _lock, 0);   // a full fence: the item is visible before the poster reads the scheduled flag
        }
        return count;
    }

    /// <summary>
    /// Takes every item appended so far, oldest first. The loop reads them, clearing each slot as it goes, before
    /// it calls this again.
    /// </summary>
    public Span<object?> TakeAll()
    {
        if (Volatile.Read(ref _count) == 0) return [];
        Enter();
        int count = _count;
        (_incoming, _taken) = (_taken, _incoming);
        Volatile.Write(ref _count, 0);
        AssertInvariants();
        Exit();
        return _taken.AsSpan(0, count);
    }

    /// <summary>Forgets every item: the process has exited and nothing more will be read.</summary>
    public void Clear()
    {
        Enter();
        _incoming = [];
        _taken = [];
        Volatile.Write(ref _count, 0);
        Exit();
    }

    private void Enter()
    {
        if (Interlocked.CompareExchange(ref _lock, 1, 0) == 0) return;
        var spin = new SpinWait();
        do spin.SpinOnce(sleep1Threshold: -1);
        while (Interlocked.CompareExchange(ref _lock, 1, 0) != 0);
    }

    private void Exit() => Volatile.Write(ref _lock, 0);

    [Conditional("DEBUG")]
    private readonly void AssertInvariants()
    {
        Debug.Assert(_count >= 0 && _count <= _incoming.Length, "count within the incoming buffer");
        Debug.Assert(Array.IndexOf(_incoming, null, 0, _count) < 0, "no hole among the held items");
    }
}
