namespace Wisp.Cluster;

/// <summary>
/// The node's <see cref="IRemoteTransport"/> over Akka: an envelope is encoded on the sender's thread (an error there
/// is the sender's: a payload too large, one that cannot be encoded) and queued on the link to its node, which batches
/// it and sends it within the node's credit window. Reachability and incarnations are the directory's, the current
/// engine's (a node that rejoins its cluster starts a new one).
/// </summary>
internal sealed class AkkaTransport(Func<NodeDirectory> directory, ClusterOptions options) : IRemoteTransport
{
    public uint? CreationOf(string node) => directory().CreationOf(node);

    public void Send(Pid target, Message message) =>
        Peer(target).Link.Enqueue((target, message, options.MaxMessageBytes),
            static (buffer, s) => WireFormat.WriteMessage(buffer, s.target, s.message, s.MaxMessageBytes), target.Node);

    public void Signal(Pid target, RemoteSignal signal) =>
        Peer(target).Link.Enqueue((target, signal, options.MaxMessageBytes),
            static (buffer, s) => WireFormat.WriteSignal(buffer, s.target, s.signal, s.MaxMessageBytes), target.Node);

    private NodeDirectory.Peer Peer(Pid target) =>
        directory().Find(target.Node) is { Reachable: true } peer ? peer : throw new WispException(ErrorKind.NotFound, $"node not found: {target.Node}");
}
