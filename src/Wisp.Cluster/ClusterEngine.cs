using Akka.Actor;
using Akka.Cluster.Tools.Singleton;
using Microsoft.Extensions.Logging;

namespace Wisp.Cluster;

/// <summary>
/// One life of a node's engine: an Akka ActorSystem with the node's endpoint, membership, names and name authority,
/// and the directory of the peers it reaches. A node has one at a time (<see cref="ClusterNode"/>); when the node is cut
/// off from its cluster (downed by its peers, or left alone while a seed answers), the node starts another, which joins
/// the seeds again: an ActorSystem that was removed from a cluster cannot join it again, a new one can.
/// </summary>
internal sealed class ClusterEngine
{
    private readonly TaskCompletionSource _up = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _peersSeen;
    private volatile bool _removed;

    private ClusterEngine(ActorSystem system, NodeDirectory directory, ClusterNames names)
    {
        System = system;
        Directory = directory;
        Names = names;
        Cluster = Akka.Cluster.Cluster.Get(system);
    }

    public ActorSystem System { get; }
    public NodeDirectory Directory { get; }
    public ClusterNames Names { get; }
    public Akka.Cluster.Cluster Cluster { get; }

    /// <summary>Completes once this engine's member is up in a cluster.</summary>
    public Task Up => _up.Task;

    /// <summary>Whether this engine's member is the only one left in its cluster after it had peers (it may be a survivor, or one side of a partition).</summary>
    public bool IsAlone => Volatile.Read(ref _peersSeen) > 0 && Cluster.State.Members.All(m => m.UniqueAddress.Equals(Cluster.SelfUniqueAddress));

    /// <summary>Creates the engine and starts joining the seeds (without waiting); <paramref name="adopt"/>: the names of the engine it replaces.</summary>
    public static ClusterEngine Start(Node node, ClusterOptions options, ILogger log, ClusterNames? adopt)
    {
        var setup = BootstrapSetup.Create().WithConfig(AkkaSettings.Build(options, node.Creation)).And(new LoggingSetup(node.LoggerFactory));
        if (PeerAuthentication.Setup(options, log) is { } tls) setup = setup.And(tls);
        var system = ActorSystem.Create(AkkaSettings.SystemName, setup);
        try
        {
            var directory = new NodeDirectory();
            var names = new ClusterNames(node, directory, system, log);
            var engine = new ClusterEngine(system, directory, names);
            var endpoint = system.ActorOf(Props.Create(() => new EndpointActor(node, directory, log)), AkkaSettings.EndpointName);
            system.ActorOf(Props.Create(() => new NamesActor(names)), "wisp-names");
            system.ActorOf(ClusterSingletonManager.Props(Props.Create(() => new NameAuthority()), PoisonPill.Instance,
                ClusterSingletonManagerSettings.Create(system)), "wisp-name-authority");
            names.UseAuthority(system.ActorOf(ClusterSingletonProxy.Props("/user/wisp-name-authority",
                ClusterSingletonProxySettings.Create(system)), "wisp-name-authority-proxy"));
            system.ActorOf(Props.Create(() => new MembershipActor(node, engine, options, endpoint, log)), "wisp-membership");
            if (adopt is not null) names.Adopt(adopt, engine.Up);
            engine.Cluster.RegisterOnMemberUp(() => engine._up.TrySetResult());
            var seeds = options.Seeds.Select(s => AkkaSettings.AddressOf(options, s, "seeds")).ToList();
            if (seeds.Count == 0) engine.Cluster.Join(engine.Cluster.SelfAddress);
            else engine.Cluster.JoinSeedNodes(seeds);
            return engine;
        }
        catch
        {
            system.Terminate();
            throw;
        }
    }

    /// <summary>A peer came up in this engine's cluster (the membership actor's word).</summary>
    public void PeerSeen() => Interlocked.Increment(ref _peersSeen);

    /// <summary>This engine's member was removed from the cluster (the membership actor's word).</summary>
    public void Removed() => _removed = true;

    public bool IsRemoved => _removed;

    /// <summary>Stops the engine: leaving the cluster first (its peers hear that the node left), or not (a crash, a restart).</summary>
    public async Task StopAsync(bool leave, ILogger log)
    {
        if (leave)
        {
            try
            {
                await Cluster.LeaveAsync().WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception e) when (e is TimeoutException or TaskCanceledException)
            {
                log.LogWarning("leaving the cluster did not finish within 5 s; stopping anyway");
            }
        }
        await System.Terminate();
    }
}
