using System.Diagnostics;

namespace Wisp;

/// <summary>
/// The process loop's own FIFO of ready continuations (woken coroutines). Touched only by the loop's thread,
/// so it needs no synchronisation. FIFO order is what makes "a woken coroutine runs in wake-up order" hold.
/// </summary>
internal struct RunQueue
{
    private (Action<object?> Action, object? State)[]? _ring;
    private int _head;
    private int _count;

    public readonly bool IsEmpty => _count == 0;

    public void Enqueue(Action<object?> action, object? state)
    {
        _ring ??= new (Action<object?>, object?)[1];   // most loops have one coroutine ready at a time
        if (_count == _ring.Length)
        {
            var bigger = new (Action<object?>, object?)[_ring.Length * 2];
            for (int i = 0; i < _count; i++) bigger[i] = _ring[(_head + i) & (_ring.Length - 1)];
            _ring = bigger;
            _head = 0;
        }
        _ring[(_head + _count) & (_ring.Length - 1)] = (action, state);
        _count++;
        AssertInvariants();
    }

    public bool TryDequeue(out Action<object?> action, out object? state)
    {
        if (_count == 0)
        {
            action = null!;
            state = null;
            return false;
        }
        ref var slot = ref _ring![_head];
        (action, state) = slot;
        slot = default;
        _head = (_head + 1) & (_ring.Length - 1);
        _count--;
        AssertInvariants();
        return true;
    }

    public void Clear()
    {
        _ring = null;
        _head = 0;
        _count = 0;
    }

    [Conditional("DEBUG")]
    private readonly void AssertInvariants() =>
        Debug.Assert(_ring is null ? _count == 0 : _count >= 0 && _count <= _ring.Length, "count within the ring");
}
