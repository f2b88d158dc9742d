using System.Buffers;

namespace Wisp.Cluster;

/// <summary>
/// A growable byte buffer that envelopes are encoded straight into, with a mark to roll back to: an envelope whose
/// encoding fails (a payload too large, a value that cannot be encoded) or that does not fit the queue leaves nothing
/// behind. Used under its owner's lock.
/// </summary>
internal sealed class FrameBuffer(int capacity) : IBufferWriter<byte>
{
    private byte[] _buffer = new byte[capacity];

    public int Written { get; private set; }

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, Written);

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

    /// <summary>Forgets what was written after <paramref name="mark"/> (a <see cref="Written"/> taken before).</summary>
    public void Rollback(int mark) => Written = mark;

    public void Clear() => Written = 0;

    private void Ensure(int sizeHint)
    {
        int needed = Written + Math.Max(sizeHint, 1);
        if (needed <= _buffer.Length) return;
        Array.Resize(ref _buffer, Math.Max(needed, _buffer.Length * 2));
    }
}
