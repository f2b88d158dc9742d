using Akka.Actor;
using Akka.Cluster;

namespace Wisp.Cluster;

/// <summary>
/// Wisp's downing rule, as an Akka downing provider: a member unreachable for <c>wisp.downing.stable-after</c> is
/// downed by the nodes that cannot reach it, so a survivor keeps running whatever the cluster's size, as Erlang nodes
/// each drop a lost peer. Akka's own strategies do not allow this: the split-brain resolver's shut a lone survivor of
/// a 2-node cluster down in some case (keep-majority keeps the lowest address on a tie, keep-oldest the oldest node,
/// static-quorum downs every node past 2 × quorum − 1), and its auto-downing is replaced by keep-majority since
/// Akka.NET 1.5.2. The cost, documented in docs/cluster.md: the two sides of a partition become two clusters.
/// </summary>
public sealed class SurvivorDowning(ActorSystem system, Akka.Cluster.Cluster cluster) : IDowningProvider
{
    public TimeSpan DownRemovalMargin => TimeSpan.Zero;

    public Props DowningActorProps =>
        Props.Create(() => new DowningActor(cluster, system.Settings.Config.GetTimeSpan("wisp.downing.stable-after", TimeSpan.FromSeconds(1), true)));

    /// <summary>Downs each member that stays unreachable for the stable period (a member reachable again is spared).</summary>
    private sealed class DowningActor : ReceiveActor, IWithTimers
    {
        private sealed record Check(UniqueAddress Member);

        private readonly Akka.Cluster.Cluster _cluster;
        private readonly HashSet<UniqueAddress> _unreachable = [];

        public ITimerScheduler Timers { get; set; } = null!;

        public DowningActor(Akka.Cluster.Cluster cluster, TimeSpan stableAfter)
        {
            _cluster = cluster;
            Receive<ClusterEvent.UnreachableMember>(e =>
            {
                if (_unreachable.Add(e.Member.UniqueAddress)) Timers.StartSingleTimer(e.Member.UniqueAddress, new Check(e.Member.UniqueAddress), stableAfter);
            });
            Receive<ClusterEvent.ReachableMember>(e => _unreachable.Remove(e.Member.UniqueAddress));
            Receive<ClusterEvent.MemberRemoved>(e => _unreachable.Remove(e.Member.UniqueAddress));
            Receive<Check>(c =>
            {
                if (_unreachable.Remove(c.Member)) _cluster.Down(c.Member.Address);
            });
        }

        protected override void PreStart() =>
            _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
                typeof(ClusterEvent.UnreachableMember), typeof(ClusterEvent.ReachableMember), typeof(ClusterEvent.MemberRemoved));

        protected override void PostStop() => _cluster.Unsubscribe(Self);
    }
}
