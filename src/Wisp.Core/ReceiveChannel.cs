namespace Wisp;

/// <summary>
/// The receiving side of a channel the runtime feeds: a process's inbox, its events, a listen channel (Go's
/// <c>&lt;-chan T</c>). It offers receive and select only; sending into or closing such a channel is the
/// runtime's job, so the type does not offer it.
/// </summary>
public readonly struct ReceiveChannel<T> : IEquatable<ReceiveChannel<T>>
{
    private readonly Channel<T>? _channel;

    internal ReceiveChannel(Channel<T> channel) => _channel = channel;

    internal Channel<T> Inner =>
        _channel ?? throw new InvalidOperationException("a default ReceiveChannel is not attached to any channel");

    /// <summary>The channel as select results name it (<see cref="SelectResult.Channel"/>).</summary>
    public ChannelBase Channel => Inner;

    /// <summary>Values waiting to be received.</summary>
    public int Count => Inner.Count;

    /// <summary>True once the runtime has closed the channel (its process exited, or the listen was undone).</summary>
    public bool IsClosed => Inner.IsClosed;

    /// <inheritdoc cref="Channel{T}.Receive"/>
    public ValueTask<(T Value, bool Ok)> Receive() => Inner.Receive();

    /// <inheritdoc cref="Channel{T}.TryReceive"/>
    public bool TryReceive(out T value, out bool ok) => Inner.TryReceive(out value, out ok);

    public SelectCase CaseReceive() => Inner.CaseReceive();

    public bool Equals(ReceiveChannel<T> other) => ReferenceEquals(_channel, other._channel);
    public override bool Equals(object? obj) => obj is ReceiveChannel<T> other && Equals(other);
    public override int GetHashCode() => _channel?.GetHashCode() ?? 0;
    public static bool operator ==(ReceiveChannel<T> left, ReceiveChannel<T> right) => left.Equals(right);
    public static bool operator !=(ReceiveChannel<T> left, ReceiveChannel<T> right) => !left.Equals(right);

    // So that a select result is matched as with any channel: r.Channel == p.Inbox.
    public static bool operator ==(ChannelBase? left, ReceiveChannel<T> right) => ReferenceEquals(left, right._channel);
    public static bool operator !=(ChannelBase? left, ReceiveChannel<T> right) => !ReferenceEquals(left, right._channel);
}
