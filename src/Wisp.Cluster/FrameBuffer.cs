using System.Buffers;

namespace Wisp.Cluster;

/// <summary>
/// A growable byte buffer that a batch's envelopes are encoded straight into, with a mark to roll back to: an envelope
/// whose encoding fails (a payload too large, a value that cannot be encoded) or that does not fit the queue leaves
/// nothing behind. It also remembers the route (target and sender) of the last message written, which the next message
/// on the same route leaves out (<see cref="WireFormat"/>). Used under its owner's lock.
/// </summary>
internal sealed class FrameBuffer(int capacity) : IBufferWriter<byte>
{
    private byte[] _buffer = new byte[capacity];

    public int Written { get; private set; }

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, Written);

    /// <summary>The target and sender of the last message written since the buffer was cleared; null before any.</summary>
    public MessageRoute? Route { get; set; }

    public void Advance(int count) => Written += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(Written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(Written);
    }

    /// <summary>Where the buffer stands now, to <see cref="Rollback"/> to.</summary>
    public Mark Here => new(Written, Route);

    /// <summary>Forgets what was written after <paramref name="mark"/>.</summary>
    public void Rollback(Mark mark) => (Written, Route) = (mark.Written, mark.Route);

    public void Clear() => (Written, Route) = (0, null);

    private void Ensure(int sizeHint)
    {
        int needed = Written + Math.Max(sizeHint, 1);
        if (needed <= _buffer.Length) return;
        Array.Resize(ref _buffer, Math.Max(needed, _buffer.Length * 2));
    }

    public readonly record struct Mark(int Written, MessageRoute? Route);
}

/// <summary>A message's target and sender, creations included (PID equality ignores them; the wire must not).</summary>
internal readonly record struct MessageRoute(Pid Target, Pid From)
{
    public bool Matches(Pid target, Pid from) =>
        Target == target && Target.Creation == target.Creation && From == from && From.Creation == from.Creation;
}
