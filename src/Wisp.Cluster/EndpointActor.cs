using Akka.Actor;
using Akka.Cluster;
using Microsoft.Extensions.Logging;

namespace Wisp.Cluster;

/// <summary>
/// A node's endpoint (<c>/user/wisp</c>): takes the frames peers send it. A batch is decoded and handed, envelope by
/// envelope in order, to the node; its size goes back to the sender as credit, on the next batch this node sends
/// there or in a frame of its own (<see cref="PeerLink.Owe"/>). A credit opens the window of the link to its sender. A
/// frame that cannot be read ends the sender's membership (it is downed), with the reason
/// logged: a peer that sends garbage is not a peer. The bytes of batches read here, and those peers credit back (taken
/// from this node), are counted in <see cref="RemoteNodes.CountBytes"/>, once per frame.
/// </summary>
internal sealed class EndpointActor : ReceiveActor
{
    public EndpointActor(Node node, NodeDirectory directory, ILogger log)
    {
        var pids = new PidCache();
        Receive<byte[]>(frame =>
        {
            if (frame.Length == 0) return;
            try
            {
                switch (frame[0])
                {
                    case WireFormat.Batch or WireFormat.CreditedBatch:
                        var link = directory.Find(Sender.Path.Address)?.Link;
                        long carried = WireFormat.ReadBatchCredit(frame);
                        // Owed before the envelopes are handed over, so a reply their processes send at once carries it.
                        if (link is null || !link.Owe(frame.Length)) Sender.Tell(WireFormat.CreditFrame(frame.Length), Self);
                        WireFormat.ReadBatch(frame, node.Remote, pids);
                        node.Remote.CountBytes(sent: 0, received: frame.Length);
                        if (carried > 0) Credited(link, carried);
                        break;
                    case WireFormat.Credit:
                        Credited(directory.Find(Sender.Path.Address)?.Link, WireFormat.ReadCredit(frame));
                        break;
                    default:
                        throw new WispException(ErrorKind.Invalid, $"frame: unknown kind {frame[0]}");
                }
            }
            catch (WispException e)
            {
                var from = Sender.Path.Address;
                log.LogError("a frame from {peer} cannot be read ({error}): that node is downed", from, e.Message);
                if (from.HasGlobalScope) Akka.Cluster.Cluster.Get(Context.System).Down(from);
            }
        });

        void Credited(PeerLink? link, long credit)
        {
            link?.Credit(credit);
            node.Remote.CountBytes(sent: credit, received: 0);
        }
    }
}
