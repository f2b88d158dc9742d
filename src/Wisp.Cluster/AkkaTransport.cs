using System.Buffers;
using System.Collections.Concurrent;

namespace Wisp.Cluster;

/// <summary>
/// The node's <see cref="IRemoteTransport"/> over Akka: an envelope is encoded on the sender's thread (an error there
/// is the sender's: a payload too large, one that cannot be encoded) and queued on the link to its node, which batches
/// it and sends it within the node's credit window. Reachability and incarnations are the directory's.
/// </summary>
internal sealed class AkkaTransport(NodeDirectory directory, ClusterOptions options) : IRemoteTransport
{
    private readonly ConcurrentBag<ArrayBufferWriter<byte>> _buffers = [];

    public uint? CreationOf(string node) => directory.CreationOf(node);

    public void Send(Pid target, Message message) =>
        Queue(target, buffer => WireFormat.WriteMessage(buffer, target, message, options.MaxMessageBytes));

    public void Signal(Pid target, RemoteSignal signal) =>
        Queue(target, buffer => WireFormat.WriteSignal(buffer, target, signal, options.MaxMessageBytes));

    private void Queue(Pid target, Action<ArrayBufferWriter<byte>> write)
    {
        if (directory.Find(target.Node) is not { Reachable: true } peer)
            throw new WispException(ErrorKind.NotFound, $"node not found: {target.Node}");
        if (!_buffers.TryTake(out var buffer)) buffer = new ArrayBufferWriter<byte>(256);
        try
        {
            write(buffer);
            peer.Link.Enqueue(buffer.WrittenSpan, peer.Name);
        }
        finally
        {
            buffer.ResetWrittenCount();
            if (buffer.Capacity <= 64 << 10) _buffers.Add(buffer);   // a buffer grown by a large message is let go
        }
    }
}
