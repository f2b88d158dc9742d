using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Wisp;

/// <summary>
/// A node's instruments, on its own <see cref="Meter"/> named <see cref="WispTelemetry.MeterName"/> and tagged
/// <c>wisp.node</c> (the node's name): made by the <see cref="IMeterFactory"/> of <see cref="NodeOptions.MeterFactory"/>
/// when one is given (it owns the meter), else owned here and disposed with the node. docs/observability.md lists them.
///
/// Rules (the hot paths pay for nothing a listener does not read):
/// - every instrument but the restart counter is observable: its callback reads counts the runtime keeps, when a
///   listener collects, never on a send or a receive;
/// - per process, the loop counts with plain increments what only it writes (messages delivered where it routes
///   them, messages sent where its code sends, selects that parked); at its exit they are added once to its host's
///   totals for its kind (<see cref="ProcessCounts"/>), with the exit's outcome; a spawn is one atomic add there;
/// - a collection walks the live processes once (reused for <see cref="WalkReuse"/>, so one collection of every
///   instrument walks once), reading totals before processes: a process folded meanwhile is then skipped as exited,
///   never counted twice; what it briefly misses, the next walk finds, and a counter never reports less than before;
/// - the callbacks hold the node weakly: a node nobody disposes leaves only its meter behind, not its processes.
/// </summary>
public sealed class NodeMetrics : IDisposable
{
    private static readonly TimeSpan WalkReuse = TimeSpan.FromMilliseconds(100);

    private readonly Node _node;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _restarts;
    private readonly object _walkGate = new();
    private long _walkedAt;
    private int _walk;

    internal NodeMetrics(Node node, IMeterFactory? factory)
    {
        _node = node;
        var options = new MeterOptions(WispTelemetry.MeterName)
        {
            Version = WispTelemetry.Version,
            Tags = [new("wisp.node", node.Name)],
        };
        _ownsMeter = factory is null;
        Meter = factory?.Create(options) ?? new Meter(options);
        var self = new WeakReference<NodeMetrics>(this);

        Meter.CreateObservableUpDownCounter("wisp.processes.live", () => Read(self, static m => m.PerKind(c => c.Live)),
            "{process}", "Live processes, by host and kind");
        Meter.CreateObservableCounter("wisp.processes.spawned", () => Read(self, static m => m.PerKind(c => c.Spawned)),
            "{process}", "Processes spawned, by host and kind");
        Meter.CreateObservableCounter("wisp.processes.exited", () => Read(self, static m => m.Exits()),
            "{process}", "Processes exited, by host, kind and outcome (normal, error, terminated, linked)");
        Meter.CreateObservableCounter("wisp.messages.sent", () => Read(self, static m => m.Walked(c => c.ReportedSent)),
            "{message}", "Messages sent by processes' code, by the sender's host and kind");
        Meter.CreateObservableCounter("wisp.messages.delivered", () => Read(self, static m => m.Walked(c => c.ReportedDelivered)),
            "{message}", "Messages routed from mailboxes to processes, by the receiver's host and kind");
        Meter.CreateObservableCounter("wisp.select.waits", () => Read(self, static m => m.Walked(c => c.ReportedSelectWaits)),
            "{select}", "Selects that found no case ready and parked, by host and kind");
        Meter.CreateObservableUpDownCounter("wisp.mailbox.depth", () => Read(self, static m => m.Walked(c => c.Depth)),
            "{item}", "Items waiting in the processes' mailboxes and inboxes, by host and kind");
        Meter.CreateObservableGauge("wisp.mailbox.depth.max", () => Read(self, static m => m.Walked(c => c.MaxDepth)),
            "{item}", "The deepest mailbox and inbox of one process, by host and kind");
        Meter.CreateObservableCounter("wisp.messages.discarded", () => Read(self, static m => [new(m._node.DiscardedMessages)]),
            "{message}", "Messages that reached a process which exited before reading them");
        Meter.CreateObservableCounter("wisp.remote.bytes", () => Read(self, static m => m.RemoteBytes()),
            "By", "Bytes of frames exchanged with other nodes, by direction (transmit: taken by the peer; receive)");
        Meter.CreateObservableCounter("wisp.remote.delivery_failures", () => Read(self, static m => [new(m._node.Remote.DeliveryFailures)]),
            "{item}", "Messages and signals from other nodes that found no process here");
        _restarts = Meter.CreateCounter<long>("wisp.service.restarts", "{restart}", "Restarts of supervised services, by service");
    }

    /// <summary>The node's meter: where extensions of the node (the cluster, the hosting layer) add their own instruments.</summary>
    public Meter Meter { get; }

    /// <summary>A supervisor spawned a service's process again after it failed.</summary>
    public void ServiceRestarted(string service) => _restarts.Add(1, new KeyValuePair<string, object?>("wisp.service", service));

    /// <summary>Disposes the meter if the node made it (a factory's meter is the factory's to dispose).</summary>
    public void Dispose()
    {
        if (_ownsMeter) Meter.Dispose();
    }

    private static IEnumerable<Measurement<long>> Read(WeakReference<NodeMetrics> self, Func<NodeMetrics, IEnumerable<Measurement<long>>> read) =>
        self.TryGetTarget(out var metrics) ? read(metrics) : [];

    private IEnumerable<ProcessCounts> Cells() => _node.Hosts.SelectMany(h => h.Counts.All);

    private IEnumerable<Measurement<long>> PerKind(Func<ProcessCounts, long> read) => Cells().Select(c => new Measurement<long>(read(c), c.Tags)).ToList();

    private IEnumerable<Measurement<long>> Exits() =>
        Cells().SelectMany(c => Enum.GetValues<ExitOutcome>().Select(o => new Measurement<long>(c.ExitsOf(o), c.ExitTags[(int)o]))).ToList();

    private IEnumerable<Measurement<long>> RemoteBytes() =>
    [
        new(_node.Remote.BytesSent, new KeyValuePair<string, object?>("network.io.direction", "transmit")),
        new(_node.Remote.BytesReceived, new KeyValuePair<string, object?>("network.io.direction", "receive")),
    ];

    private IEnumerable<Measurement<long>> Walked(Func<ProcessCounts, long> read)
    {
        Walk();
        lock (_walkGate) return PerKind(read);
    }

    /// <summary>Adds up the live processes' own counts per host and kind, unless a walk just did.</summary>
    private void Walk()
    {
        lock (_walkGate)
        {
            if (_walkedAt != 0 && Stopwatch.GetElapsedTime(_walkedAt) < WalkReuse) return;
            int walk = ++_walk;
            foreach (var process in _node.LiveProcesses())
            {
                var cell = process.Host.Counts.For(process.Kind);
                cell.BeginWalk(walk);    // the cell's totals are read before any of its processes
                if (process.IsExited) continue;   // folded into the totals already, or about to be
                cell.Include(process);
            }
            foreach (var cell in Cells())
            {
                cell.BeginWalk(walk);
                cell.EndWalk();
            }
            _walkedAt = Stopwatch.GetTimestamp();
        }
    }
}

/// <summary>How a process ended, for <c>wisp.processes.exited</c>.</summary>
internal enum ExitOutcome
{
    Normal,
    Error,
    Terminated,
    Linked,
}

/// <summary>
/// The counts of one host's processes of one kind: spawns and exits (one atomic add each, on the adding core's own cache
/// line: <see cref="CoreCounters"/>), and the per-process counts of those that exited (added once at each exit); the
/// walk's fields are written under the node's walk lock.
/// </summary>
internal sealed class ProcessCounts
{
    private const int SpawnedCounter = 0, SentCounter = 1, DeliveredCounter = 2, SelectWaitsCounter = 3, FirstExitCounter = 4;
    private static readonly int Outcomes = Enum.GetValues<ExitOutcome>().Length;

    private readonly CoreCounters _counters = new(FirstExitCounter + Outcomes);

    // The last walk: the totals read at its start, plus its live processes', never below what was reported before.
    private int _walk;
    private long _walkSent, _walkDelivered, _walkSelectWaits;
    public long ReportedSent, ReportedDelivered, ReportedSelectWaits, Depth, MaxDepth;

    public ProcessCounts(string host, string kind)
    {
        Kind = kind;
        Tags = [new("wisp.host", host), new("wisp.kind", kind)];
        ExitTags = Enum.GetValues<ExitOutcome>()
            .Select(o => new KeyValuePair<string, object?>[] { Tags[0], Tags[1], new("wisp.outcome", o.ToString().ToLowerInvariant()) })
            .ToArray();
    }

    public string Kind { get; }
    public KeyValuePair<string, object?>[] Tags { get; }
    public KeyValuePair<string, object?>[][] ExitTags { get; }

    public long Spawned => _counters.Read(SpawnedCounter);

    public void CountSpawn() => _counters.Increment(SpawnedCounter);

    public long ExitsOf(ExitOutcome outcome) => _counters.Read(FirstExitCounter + (int)outcome);

    /// <summary>
    /// Spawned and not exited (an exit is counted before its monitors hear of it). The exits are read first: every exit
    /// they include had its spawn counted before it, so the spawns read after include it too and Live is never negative.
    /// </summary>
    public long Live
    {
        get
        {
            long exited = 0;
            for (int i = 0; i < Outcomes; i++) exited += _counters.Read(FirstExitCounter + i);
            return Spawned - exited;
        }
    }

    /// <summary>A process of this host and kind exited: its outcome and its own counts join the totals.</summary>
    public void Exited(ExitOutcome outcome, long sent, long delivered, long selectWaits)
    {
        if (sent != 0) _counters.Add(SentCounter, sent);
        if (delivered != 0) _counters.Add(DeliveredCounter, delivered);
        if (selectWaits != 0) _counters.Add(SelectWaitsCounter, selectWaits);
        _counters.Increment(FirstExitCounter + (int)outcome);
    }

    public void BeginWalk(int walk)
    {
        if (_walk == walk) return;
        _walk = walk;
        _walkSent = _counters.Read(SentCounter);
        _walkDelivered = _counters.Read(DeliveredCounter);
        _walkSelectWaits = _counters.Read(SelectWaitsCounter);
        Depth = MaxDepth = 0;
    }

    public void Include(Process process)
    {
        _walkSent += process.MessagesOut;
        _walkDelivered += process.MessagesIn;
        _walkSelectWaits += process.SelectWaits;
        int depth = process.MailboxDepth;
        Depth += depth;
        MaxDepth = Math.Max(MaxDepth, depth);
    }

    public void EndWalk()
    {
        ReportedSent = Math.Max(ReportedSent, _walkSent);
        ReportedDelivered = Math.Max(ReportedDelivered, _walkDelivered);
        ReportedSelectWaits = Math.Max(ReportedSelectWaits, _walkSelectWaits);
    }
}

/// <summary>A host's <see cref="ProcessCounts"/> by kind: a few kinds, so a short array replaced on the first spawn of a new one.</summary>
internal sealed class HostCounts(string host)
{
    private volatile ProcessCounts[] _cells = [];

    public IReadOnlyList<ProcessCounts> All => _cells;

    public ProcessCounts For(string kind)
    {
        foreach (var cell in _cells)
            if (cell.Kind == kind) return cell;
        lock (this)
        {
            foreach (var cell in _cells)
                if (cell.Kind == kind) return cell;
            var added = new ProcessCounts(host, kind);
            _cells = [.. _cells, added];
            return added;
        }
    }
}
