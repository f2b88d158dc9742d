namespace Wisp;

/// <summary>
/// What a node needs from the layer that connects it to other nodes (the cluster engine): to know which nodes are
/// reachable now, and to carry messages and control signals to processes on them. The core never names the engine;
/// the engine attaches an implementation with <see cref="RemoteNodes.Attach"/> and reports what arrives, and what
/// it loses, to <see cref="Node.Remote"/>.
///
/// Contract:
/// - <see cref="CreationOf"/> is the current incarnation of a node this one can reach, else null; a node is marked
///   unreachable here before <see cref="RemoteNodes.NodeDown"/> is called for it, and the implementation never
///   calls into <see cref="RemoteNodes"/> while it holds a lock of its own (the node calls CreationOf under its
///   remote-watch lock);
/// - <see cref="Send"/> and <see cref="Signal"/> only encode and queue: they succeed once the item is queued for
///   the node and throw a <see cref="WispException"/> when they cannot (a payload that cannot be encoded, a queue
///   past its bound); what happens on the far side is never reported back, as in the reference runtime;
/// - items from one sender to one receiving node arrive in the order they were queued, or not at all (lost with
///   the node, whose loss is then reported).
/// </summary>
public interface IRemoteTransport
{
    /// <summary>The incarnation of <paramref name="node"/> if it is reachable now, else null.</summary>
    uint? CreationOf(string node);

    /// <summary>Encodes and queues a message for a process on another node.</summary>
    void Send(Pid target, Message message);

    /// <summary>Encodes and queues a control signal for a process on another node.</summary>
    void Signal(Pid target, RemoteSignal signal);
}

/// <summary>The control signals processes exchange across nodes (the reference's <c>pid.monitor.request</c> and kin).</summary>
public enum RemoteSignalKind : byte
{
    /// <summary>From starts monitoring the target.</summary>
    Monitor,
    /// <summary>From stops monitoring the target.</summary>
    Demonitor,
    /// <summary>From links itself to the target.</summary>
    Link,
    /// <summary>From ends its link with the target (an unlink, or from's normal exit).</summary>
    Unlink,
    /// <summary>From, which the target monitors, has ended with <see cref="RemoteSignal.Result"/>.</summary>
    Exit,
    /// <summary>From, linked to the target, has failed with <see cref="RemoteSignal.Result"/>.</summary>
    LinkDown,
    /// <summary>From asks the target to stop (CANCEL with <see cref="RemoteSignal.Reason"/>).</summary>
    Cancel,
    /// <summary>From ends the target by force.</summary>
    Terminate,
}

/// <summary>A control signal from a process on one node to a process on another.</summary>
public sealed record RemoteSignal(RemoteSignalKind Kind, Pid From, ExitResult? Result = null, string? Reason = null);
