using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Wisp;

/// <summary>
/// A message between processes: a topic, the sender, and zero or more payloads. Immutable once sent; inside a
/// node it travels by reference, so payloads should be immutable values too.
/// </summary>
public sealed class Message
{
    private static readonly SeveralPayloads NoPayloads = new([]);
    // The single payload itself, or a SeveralPayloads of zero or several: one field, as most messages carry one payload.
    private readonly object? _payload;
    private readonly StrongBox<ActivityContext>? _trace;   // only on a message whose send was traced (MessageTracing.cs)

    public Message(string topic, Pid from, object? payload)
    {
        Topic = topic;
        From = from;
        _payload = payload;
    }

    public Message(string topic, Pid from, object?[] payloads)
    {
        Topic = topic;
        From = from;
        _payload = payloads.Length == 1 ? payloads[0] : payloads.Length == 0 ? NoPayloads : new SeveralPayloads(payloads);
    }

    /// <summary>
    /// A message sent under a trace: <paramref name="traceContext"/> is the context of its send's activity, which the
    /// slice that takes it continues (a cluster transport rebuilds a traced message from another node with it).
    /// </summary>
    public Message(string topic, Pid from, object?[] payloads, ActivityContext traceContext) : this(topic, from, payloads) =>
        _trace = new StrongBox<ActivityContext>(traceContext);

    private Message(Message original, ActivityContext traceContext)
    {
        Topic = original.Topic;
        From = original.From;
        _payload = original._payload;
        _trace = new StrongBox<ActivityContext>(traceContext);
    }

    public string Topic { get; }

    /// <summary>The sending process, or <see cref="Pid.None"/> when the message came from outside any process.</summary>
    public Pid From { get; }

    /// <summary>Whether the message was sent under a trace (see <see cref="TraceContext"/>).</summary>
    public bool IsTraced => _trace is not null;

    /// <summary>The context of the activity the message was sent under, or default when its send was not traced.</summary>
    public ActivityContext TraceContext => _trace?.Value ?? default;

    /// <summary>The same message under a send's trace: a copy, so a message built once and sent many times stays as it was.</summary>
    internal Message WithTrace(ActivityContext traceContext) => new(this, traceContext);

    public int PayloadCount => _payload is SeveralPayloads list ? list.Items.Length : 1;

    public IReadOnlyList<object?> Payloads => _payload is SeveralPayloads list ? list.Items : [_payload];

    /// <summary>The payload at <paramref name="index"/> (below <see cref="PayloadCount"/>), without the list <see cref="Payloads"/> makes for a single one.</summary>
    public object? PayloadAt(int index)
    {
        if (_payload is SeveralPayloads list) return list.Items[index];
        ArgumentOutOfRangeException.ThrowIfNotEqual(index, 0);
        return _payload;
    }

    /// <summary>
    /// The first payload as <typeparamref name="T"/>: the value itself when it is one (a C# sender's record), else
    /// read from the neutral payload model (a Lua sender's table) by <see cref="PayloadCodec"/>. A message without
    /// payloads has none to give; a payload that cannot be read as <typeparamref name="T"/> is an Invalid error.
    /// </summary>
    public T Payload<T>()
    {
        object? value = _payload is not SeveralPayloads list ? _payload
            : list.Items.Length > 0 ? list.Items[0]
            : throw new WispException(ErrorKind.Invalid, $"message '{Topic}' has no payload");
        if (value is T typed) return typed;
        if (value is null && default(T) is null) return default!;
        try
        {
            return PayloadCodec.Convert<T>(value);
        }
        catch (WispException e) when (e.Kind == ErrorKind.Invalid)
        {
            throw new WispException(ErrorKind.Invalid, $"payload of message '{Topic}' is not a {typeof(T).Name}: {e.Message}", e);
        }
    }

    public override string ToString() => $"Message{{topic={Topic}}}";

    /// <summary>Zero or several payloads; a type of its own so that no payload value can be taken for it.</summary>
    private sealed class SeveralPayloads(object?[] items)
    {
        public readonly object?[] Items = items;
    }
}
