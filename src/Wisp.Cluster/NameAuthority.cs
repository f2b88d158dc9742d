using Akka.Actor;
using Akka.Cluster;
using Akka.DistributedData;

namespace Wisp.Cluster;

/// <summary>
/// The authority of CONSISTENT names: a cluster singleton (on the oldest node) that decides every claim in the order
/// it takes them, so the first holder of a name wins and a later claim learns the holder. Its decisions are written
/// to a replicated map (Distributed Data, to a majority) before it answers, which every node reads for lookups and a
/// new authority reads back (from a majority) before it decides anything, when the singleton moves.
/// A name is released when its holder lets it go (unregister, exit) or when its holder's node leaves the cluster.
/// </summary>
internal sealed class NameAuthority : ReceiveActor, IWithUnboundedStash
{
    public static readonly LWWDictionaryKey<string, string> Key = new("wisp-names-consistent");
    private static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(3);

    /// <summary>A claim of <paramref name="Name"/> for a holder (its PID as <see cref="ClusterNames.Encode"/> writes it).</summary>
    public sealed record Claim(string Name, string Holder);

    /// <summary>The answer: who holds the name now (the claimer when it won), or why nobody could be decided.</summary>
    public sealed record Claimed(string? Holder, string? Failure);

    public sealed record Release(string Name, string Holder);

    private sealed record Pending(IActorRef ReplyTo, string Holder);

    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly IActorRef _replicator;
    private readonly Akka.Cluster.Cluster _cluster;

    public IStash Stash { get; set; } = null!;

    public NameAuthority()
    {
        _replicator = DistributedData.Get(Context.System).Replicator;
        _cluster = Akka.Cluster.Cluster.Get(Context.System);
        Receive<GetSuccess>(g =>
        {
            foreach (var (name, holder) in g.Get(Key).Entries) _names[name] = holder;
            Ready();
        });
        Receive<NotFound>(_ => Ready());
        Receive<GetFailure>(_ => Ready());   // no majority answered: what this node's replica holds stands
        ReceiveAny(_ => Stash.Stash());
    }

    protected override void PreStart()
    {
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.MemberRemoved));
        _replicator.Tell(Dsl.Get(Key, new ReadMajority(WriteTimeout)));
    }

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private void Ready()
    {
        Become(Deciding);
        Stash.UnstashAll();
    }

    private void Deciding()
    {
        Receive<Claim>(claim =>
        {
            if (_names.TryGetValue(claim.Name, out var holder) && holder != claim.Holder)
            {
                Sender.Tell(new Claimed(holder, null));
                return;
            }
            _names[claim.Name] = claim.Holder;
            _replicator.Tell(Dsl.Update(Key, LWWDictionary<string, string>.Empty, new WriteMajority(WriteTimeout),
                new Pending(Sender, claim.Holder), d => d.SetItem(_cluster, claim.Name, claim.Holder)));
        });
        Receive<UpdateSuccess>(u =>
        {
            if (u.Request is Pending pending) pending.ReplyTo.Tell(new Claimed(pending.Holder, null));
        });
        Receive<IUpdateFailure>(f =>
        {
            // Not confirmed by a majority: the claim is withdrawn (the reference's CONSISTENT writes need a quorum).
            if (f.Request is not Pending pending) return;
            var name = _names.FirstOrDefault(e => e.Value == pending.Holder).Key;
            if (name is not null)
            {
                _names.Remove(name);
                Remove([name]);
            }
            pending.ReplyTo.Tell(new Claimed(null, $"no majority of the nodes confirmed it within {WriteTimeout.TotalSeconds:0} s"));
        });
        Receive<Release>(release =>
        {
            if (!_names.TryGetValue(release.Name, out var holder) || holder != release.Holder) return;
            _names.Remove(release.Name);
            Remove([release.Name]);
        });
        Receive<ClusterEvent.MemberRemoved>(removed =>
        {
            if (!MembershipActor.TryIdentify(removed.Member, out var node, out var creation)) return;
            var gone = _names.Where(e => ClusterNames.Decode(e.Value) is { } pid && pid.Node == node && pid.Creation == creation)
                .Select(e => e.Key).ToList();
            foreach (var name in gone) _names.Remove(name);
            if (gone.Count > 0) Remove(gone);
        });
    }

    private void Remove(IReadOnlyList<string> names) =>
        _replicator.Tell(Dsl.Update(Key, LWWDictionary<string, string>.Empty, new WriteMajority(WriteTimeout), d =>
        {
            foreach (var name in names) d = d.Remove(_cluster, name);
            return d;
        }));
}
