using Akka.Cluster;
using Microsoft.Extensions.Logging;

namespace Wisp.Cluster;

/// <summary>
/// A node's membership of a cluster: an Akka ActorSystem (Akka.Remote and Akka.Cluster) that carries the node's
/// envelopes to the other nodes and reports their loss, attached to the node as its <see cref="IRemoteTransport"/>
/// and its cluster names. Start it once per node, after the node exists and before its processes reach other nodes;
/// dispose it to leave.
/// <para>
/// A node cut off from its cluster (downed by its peers after a pause or a partition, or left alone when they all went
/// while one of its seeds accepts connections) starts a new engine every <see cref="ClusterOptions.RejoinInterval"/>
/// until it is back in a cluster; a survivor alone with no seed listening keeps its one-node cluster, which new nodes
/// can join. A new engine keeps the node's creation (its processes and PIDs are the same), its peers see it come up
/// again, and the names its processes hold are registered again (a CONSISTENT one that another process took meanwhile
/// is revoked: CANCEL "name revoked").
/// </para>
/// </summary>
public sealed class ClusterNode : IAsyncDisposable
{
    private readonly Node _node;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stopping = new();
    private volatile ClusterEngine _engine;
    private Task _watch = Task.CompletedTask;
    private bool _seedAnsweredAlone;   // the last look found this node alone and a seed listening (WatchForCutOff only)
    private int _disposed;

    private ClusterNode(Node node, ClusterOptions options, ILogger log, ClusterEngine engine)
    {
        _node = node;
        Options = options;
        _log = log;
        _engine = engine;
    }

    public ClusterOptions Options { get; }

    /// <summary>Where this node listens, <c>host:port</c> (the port chosen when the options said 0).</summary>
    public string Address
    {
        get
        {
            var address = _engine.Cluster.SelfAddress;
            return $"{address.Host}:{address.Port}";
        }
    }

    /// <summary>
    /// Whether this node is a member of a cluster: its engine's member has come up (so true as soon as
    /// <see cref="StartAsync"/> returns on a join) and is not leaving, downed or removed since. Akka's own view of the
    /// member's status is published a moment after the member-up callback, so it alone would say "joining" then.
    /// </summary>
    public bool IsUp => _engine is { Up.IsCompletedSuccessfully: true, IsRemoved: false } engine
        && engine.Cluster.SelfMember.Status is not (MemberStatus.Leaving or MemberStatus.Exiting or MemberStatus.Down or MemberStatus.Removed);

    /// <summary>The members of the cluster as this node sees it, itself included, whatever their status.</summary>
    public int MemberCount => _engine.Cluster.State.Members.Count;

    /// <summary>The names of the nodes this one reaches now.</summary>
    public IReadOnlyList<string> Peers => _engine.Directory.Reachable;

    /// <summary>How many times this node started a new engine to join its cluster again.</summary>
    public int Rejoins { get; private set; }

    internal ClusterEngine Engine => _engine;

    /// <summary>
    /// The scheduler of a clustered node's hosts (<see cref="NodeOptions.SchedulerFactory"/>): the .NET thread pool, where
    /// Akka.NET's dispatchers run, so a remote message goes from the engine to its process, and a reply back, without a
    /// wake-up of another thread. On Wisp's own workers each crossing was one (two nodes, echo one at a time: p50 166 →
    /// 367 µs; at 16 requesters 65k → 36k requests/s). A host that sets workers gets its bounded scheduler, as anywhere.
    /// </summary>
    public static IWorkScheduler SchedulerFor(HostOptions host) =>
        host.Workers is { } workers ? new BoundedScheduler(workers) : DotnetPool;

    private static readonly ThreadPoolScheduler DotnetPool = new();

    /// <summary>
    /// Options for a node that is to join a cluster: its name, a new creation (<see cref="NewCreation"/>) and its hosts'
    /// scheduler (<see cref="SchedulerFor"/>); add the rest with <c>with { ... }</c>.
    /// </summary>
    public static NodeOptions NodeOptions(string name) => new() { Name = name, Creation = NewCreation(), SchedulerFactory = SchedulerFor };

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
        var engine = ClusterEngine.Start(node, options, log, adopt: null);
        var member = new ClusterNode(node, options, log, engine);
        node.Remote.Attach(new AkkaTransport(() => member._engine.Directory, options));
        node.Registry.Attach(new CurrentNames(() => member._engine.Names));
        try
        {
            if (await Task.WhenAny(engine.Up, Task.Delay(options.JoinTimeout, cancellation)) == engine.Up)
                log.LogInformation("node {node} is up in the cluster at {address}", node.Name, engine.Cluster.SelfAddress);
            else
            {
                cancellation.ThrowIfCancellationRequested();
                log.LogWarning("node {node} is not in a cluster yet (no seed answered within {timeout}); it runs alone and goes on trying {seeds}",
                    node.Name, options.JoinTimeout, string.Join(", ", options.Seeds));
            }
        }
        catch
        {
            await engine.StopAsync(leave: false, log);
            throw;
        }
        member._watch = member.WatchForCutOff();
        return member;
    }

    /// <summary>Starts a new engine whenever the current one has lost its cluster (see the class's remarks).</summary>
    private async Task WatchForCutOff()
    {
        try
        {
            while (true)
            {
                await Task.Delay(Options.RejoinInterval, _stopping.Token);
                var engine = _engine;
                if (!await IsCutOffAsync(engine)) continue;
                _log.LogWarning("node {node} is cut off from its cluster ({why}); it starts its engine again to rejoin {seeds}",
                    _node.Name, engine.IsRemoved ? "removed by its peers" : "alone, and a seed answers", string.Join(", ", Options.Seeds));
                foreach (var peer in engine.Directory.All) MembershipActor.Lose(_node, peer, "this node rejoins the cluster", _log);
                await engine.StopAsync(leave: false, _log);
                _stopping.Token.ThrowIfCancellationRequested();
                _engine = ClusterEngine.Start(_node, Options, _log, adopt: engine.Names);
                Rejoins++;
            }
        }
        catch (OperationCanceledException)
        {
            // disposed
        }
    }

    /// <summary>
    /// Removed by its peers, or alone while a seed listens at two looks in a row: a restarted seed listens before it has
    /// joined this node, which it does within an interval; restarting meanwhile would break that join.
    /// </summary>
    private async Task<bool> IsCutOffAsync(ClusterEngine engine)
    {
        if (engine.IsRemoved) return true;
        bool seedAnswers = engine.IsAlone && await SeedProbe.AnyAnswersAsync(Options, Options.RejoinInterval, _stopping.Token) && engine.IsAlone;
        bool twice = seedAnswers && _seedAnsweredAlone;
        _seedAnsweredAlone = seedAnswers && !twice;
        return twice;
    }

    /// <summary>
    /// Stops the engine without leaving, as a crash would: the peers find out through their failure detectors (for
    /// tests and simulations of a node's loss; <see cref="DisposeAsync"/> leaves properly).
    /// </summary>
    public async Task AbortAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stopping.Cancel();
        await _watch;
        await _engine.StopAsync(leave: false, _log);
    }

    /// <summary>Leaves the cluster (its peers hear that this node left) and stops the engine.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stopping.Cancel();
        await _watch;
        await _engine.StopAsync(leave: true, _log);
    }

    /// <summary>The cluster names of whichever engine is current (the node's registry holds this one for its whole life).</summary>
    private sealed class CurrentNames(Func<ClusterNames> current) : IClusterNames
    {
        public void Register(string name, Pid pid, RegistryScope scope) => current().Register(name, pid, scope);
        public Task RegisterAsync(string name, Pid pid, RegistryScope scope) => current().RegisterAsync(name, pid, scope);
        public bool Unregister(string name, Pid owner, RegistryScope scope) => current().Unregister(name, owner, scope);
        public Pid? Lookup(string name) => current().Lookup(name);
        public void Released(Pid pid) => current().Released(pid);
    }
}
