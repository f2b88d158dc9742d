using System.Diagnostics;

namespace Wisp;

/// <summary>
/// The cross-thread half of a process's mailbox: any thread appends, only the owning process's loop takes.
///
/// Invariants:
/// - items leave in the order they entered (FIFO), so messages from one sender keep their order;
/// - <see cref="Count"/> is the number of items held; a reader on another thread may see a stale value,
///   which is why the loop re-checks <see cref="IsEmpty"/> after it clears its scheduled flag;
/// - the lock (on this internal object, to keep a process small) guards only the ring's indices and slots, never user code, and is held for a few instructions.
/// Items are messages, events and loop actions; routing them to channels is the loop's job (Process.cs).
/// </summary>
internal sealed class Mailbox
{
    private object?[] _ring = [];
    private int _head;
    private int _count;

    public int Count => Volatile.Read(ref _count);
    public bool IsEmpty => Volatile.Read(ref _count) == 0;

    /// <summary>Appends an item; returns the number of items held before it.</summary>
    public int Enqueue(object item)
    {
        lock (this)
        {
            int count = _count;
            if (count == _ring.Length) Grow();
            _ring[(_head + count) & (_ring.Length - 1)] = item;
            Volatile.Write(ref _count, count + 1);
            AssertInvariants();
            return count;
        }
    }

    /// <summary>Takes the oldest item, if any.</summary>
    public bool TryDequeue(out object? item)
    {
        lock (this)
        {
            if (_count == 0)
            {
                item = null;
                return false;
            }
            ref var slot = ref _ring[_head];
            item = slot;
            slot = null;
            _head = _count == 1 ? 0 : (_head + 1) & (_ring.Length - 1);
            Volatile.Write(ref _count, _count - 1);
            AssertInvariants();
            return true;
        }
    }

    /// <summary>Forgets every item: the process has exited and nothing more will be read.</summary>
    public void Clear()
    {
        lock (this)
        {
            _ring = [];
            _head = 0;
            Volatile.Write(ref _count, 0);
        }
    }

    private void Grow()
    {
        var bigger = new object?[Math.Max(4, _ring.Length * 2)];
        int mask = _ring.Length - 1;
        for (int i = 0; i < _count; i++) bigger[i] = _ring[(_head + i) & mask];
        _ring = bigger;
        _head = 0;
    }

    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        Debug.Assert(_count >= 0 && _count <= _ring.Length, "count within the ring");
        Debug.Assert(_ring.Length == 0 || (_ring.Length & (_ring.Length - 1)) == 0, "ring length is a power of two");
        Debug.Assert(_count > 0 || _head == 0 || _ring.Length > 0, "head reset when empty");
    }
}
