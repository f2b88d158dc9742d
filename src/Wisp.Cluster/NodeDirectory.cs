using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Cluster;

namespace Wisp.Cluster;

/// <summary>
/// The peers this node knows, by Wisp name and by Akka address: each one's incarnation, whether it is reachable now,
/// and the link that carries envelopes to it. Written by the membership actor (one thread at a time), read by
/// senders on any thread.
/// </summary>
internal sealed class NodeDirectory
{
    private readonly ConcurrentDictionary<string, Peer> _byName = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Address, Peer> _byAddress = new();

    /// <summary>A known peer. <see cref="Link"/> is replaced when the peer comes back from being unreachable.</summary>
    public sealed class Peer(string name, uint creation, UniqueAddress member, PeerLink link)
    {
        public string Name { get; } = name;
        public uint Creation { get; } = creation;

        /// <summary>The member this peer is: its address and the incarnation of its engine (a node that rejoins has a new one).</summary>
        public UniqueAddress Member { get; } = member;
        public Address Address => Member.Address;
        public volatile PeerLink Link = link;
        public volatile bool Reachable = true;
        public IActorRef? Endpoint;
    }

    public Peer? Find(string name) => _byName.GetValueOrDefault(name);
    public Peer? Find(Address address) => _byAddress.GetValueOrDefault(address);

    public uint? CreationOf(string name) => _byName.TryGetValue(name, out var peer) && peer.Reachable ? peer.Creation : null;

    public IReadOnlyList<Peer> All => [.. _byName.Values];

    public IReadOnlyList<string> Reachable => _byName.Values.Where(p => p.Reachable).Select(p => p.Name).Order().ToList();

    public void Add(Peer peer)
    {
        _byName[peer.Name] = peer;
        _byAddress[peer.Address] = peer;
    }

    public bool Remove(Peer peer)
    {
        _byAddress.TryRemove(new KeyValuePair<Address, Peer>(peer.Address, peer));
        return _byName.TryRemove(new KeyValuePair<string, Peer>(peer.Name, peer));
    }
}
