using Akka.Actor;
using Akka.Cluster.Tools.Singleton;
using Microsoft.Extensions.Logging;

namespace Wisp.Cluster;

/// <summary>
/// A node's membership of a cluster: an Akka ActorSystem (Akka.Remote and Akka.Cluster) that carries the node's
/// envelopes to the other nodes and reports their loss, attached to the node as its <see cref="IRemoteTransport"/>.
/// Start it once per node, after the node exists and before its processes reach other nodes; dispose it to leave.
/// </summary>
public sealed class ClusterNode : IAsyncDisposable
{
    private readonly ActorSystem _system;
    private readonly NodeDirectory _directory;
    private readonly ILogger _log;
    private int _disposed;

    private ClusterNode(ActorSystem system, NodeDirectory directory, ILogger log, ClusterOptions options)
    {
        _system = system;
        _directory = directory;
        _log = log;
        Options = options;
    }

    public ClusterOptions Options { get; }

    /// <summary>Where this node listens, <c>host:port</c> (the port chosen when the options said 0).</summary>
    public string Address
    {
        get
        {
            var address = Akka.Cluster.Cluster.Get(_system).SelfAddress;
            return $"{address.Host}:{address.Port}";
        }
    }

    /// <summary>Whether this node is an Up member of the cluster (not joining yet, not removed).</summary>
    public bool IsUp => Akka.Cluster.Cluster.Get(_system).SelfMember.Status == Akka.Cluster.MemberStatus.Up;

    /// <summary>The members of the cluster as this node sees it, itself included, whatever their status.</summary>
    public int MemberCount => Akka.Cluster.Cluster.Get(_system).State.Members.Count;

    /// <summary>The names of the nodes this one reaches now.</summary>
    public IReadOnlyList<string> Peers => _directory.Reachable;

    /// <summary>A creation for a node that is about to start (<see cref="NodeOptions.Creation"/>): nonzero, and different at each start.</summary>
    public static uint NewCreation()
    {
        uint creation;
        do creation = (uint)Random.Shared.NextInt64(1, uint.MaxValue);
        while (creation == 0);
        return creation;
    }

    /// <summary>
    /// Starts the node's membership: listens, joins the seeds (or starts a cluster of its own when none answers and it
    /// is the first seed, or there are none), and completes once this node is up in the cluster, or after
    /// <see cref="ClusterOptions.JoinTimeout"/> with the join still going on.
    /// </summary>
    public static async Task<ClusterNode> StartAsync(Node node, ClusterOptions options, CancellationToken cancellation = default)
    {
        options.Validate();
        if (node.Name != options.NodeName)
            throw new WispException(ErrorKind.Invalid, $"the node is named '{node.Name}' but the cluster options name it '{options.NodeName}'");
        if (node.Creation == 0)
            throw new WispException(ErrorKind.Invalid, "a clustered node needs a creation (NodeOptions.Creation, e.g. ClusterNode.NewCreation())");
        var log = node.LoggerFactory.CreateLogger("wisp.cluster");
        var setup = BootstrapSetup.Create().WithConfig(AkkaSettings.Build(options, node.Creation)).And(new LoggingSetup(node.LoggerFactory));
        if (PeerAuthentication.Setup(options, log) is { } tls) setup = setup.And(tls);
        var system = ActorSystem.Create(AkkaSettings.SystemName, setup);
        var directory = new NodeDirectory();
        var cluster = Akka.Cluster.Cluster.Get(system);
        try
        {
            var endpoint = system.ActorOf(Props.Create(() => new EndpointActor(node, directory, log)), AkkaSettings.EndpointName);
            node.Remote.Attach(new AkkaTransport(directory, options));
            var names = new ClusterNames(node, directory, system, log);
            node.Registry.Attach(names);
            system.ActorOf(Props.Create(() => new NamesActor(names)), "wisp-names");
            system.ActorOf(ClusterSingletonManager.Props(Props.Create(() => new NameAuthority()), PoisonPill.Instance,
                ClusterSingletonManagerSettings.Create(system)), "wisp-name-authority");
            names.UseAuthority(system.ActorOf(ClusterSingletonProxy.Props("/user/wisp-name-authority",
                ClusterSingletonProxySettings.Create(system)), "wisp-name-authority-proxy"));
            system.ActorOf(Props.Create(() => new MembershipActor(node, directory, names, options, endpoint, log)), "wisp-membership");
            var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            cluster.RegisterOnMemberUp(() => up.TrySetResult());
            var seeds = options.Seeds.Select(s => AkkaSettings.AddressOf(options, s, "seeds")).ToList();
            if (seeds.Count == 0) cluster.Join(cluster.SelfAddress);
            else cluster.JoinSeedNodes(seeds);
            if (await Task.WhenAny(up.Task, Task.Delay(options.JoinTimeout, cancellation)) == up.Task)
                log.LogInformation("node {node} is up in the cluster at {address}", node.Name, cluster.SelfAddress);
            else
            {
                cancellation.ThrowIfCancellationRequested();
                log.LogWarning("node {node} is not in a cluster yet (no seed answered within {timeout}); it runs alone and goes on trying {seeds}",
                    node.Name, options.JoinTimeout, string.Join(", ", options.Seeds));
            }
            return new ClusterNode(system, directory, log, options);
        }
        catch
        {
            await system.Terminate();
            throw;
        }
    }

    /// <summary>Stops the engine without leaving, as a crash would: the peers find out through their failure detectors (tests).</summary>
    internal Task Crash()
    {
        Interlocked.Exchange(ref _disposed, 1);
        return _system.Terminate();
    }

    /// <summary>Leaves the cluster (its peers hear that this node left) and stops the engine.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        var cluster = Akka.Cluster.Cluster.Get(_system);
        try
        {
            await cluster.LeaveAsync().WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is TimeoutException or TaskCanceledException)
        {
            _log.LogWarning("leaving the cluster did not finish within 5 s; stopping anyway");
        }
        await _system.Terminate();
    }
}
