using Microsoft.Extensions.Logging;

namespace Wisp;

/// <summary>
/// A node's side of the cluster: where sends, monitors, links, cancels and terminates aimed at PIDs of other nodes
/// go (through the <see cref="IRemoteTransport"/> the cluster engine attaches), and where the engine delivers what
/// comes from other nodes and reports a node it has lost. Without a transport, a PID of another node is
/// "node not found", as on a standalone node.
///
/// Rules (the reference runtime's, with Erlang's where it says nothing):
/// - a remote send succeeds once queued; a delivery that fails on this side (no such process, a PID of an earlier
///   incarnation, a full mailbox) is counted in <see cref="DeliveryFailures"/> and logged, never reported back;
/// - monitoring or linking a PID of a node that is not reachable, or of one of its earlier incarnations, is the
///   local error ("node not found: x", "pid not registered: pid"); a monitor or link the far side finds dead is
///   answered with the EXIT or LINK_DOWN of error "pid not registered: pid";
/// - when a node is lost, every local watcher of every process there gets one EXIT (monitors) or LINK_DOWN
///   (links) with the error "node x unreachable: why" (kind Unavailable), exactly once (see RemoteWatches).
/// </summary>
public sealed class RemoteNodes
{
    private readonly Node _node;
    private readonly RemoteWatches _watches = new();
    private readonly ILogger _log;
    private IRemoteTransport? _transport;
    private long _deliveryFailures;

    internal RemoteNodes(Node node)
    {
        _node = node;
        _log = node.LoggerFactory.CreateLogger("wisp.remote");
    }

    /// <summary>Connects the node to others; once, before its processes reach them.</summary>
    public void Attach(IRemoteTransport transport)
    {
        ArgumentNullException.ThrowIfNull(transport);
        if (Interlocked.CompareExchange(ref _transport, transport, null) is not null)
            throw new WispException(ErrorKind.InvalidState, "a remote transport is attached already");
    }

    public bool IsAttached => Volatile.Read(ref _transport) is not null;

    /// <summary>Messages and signals from other nodes that found no process here (counted, logged at debug).</summary>
    public long DeliveryFailures => Interlocked.Read(ref _deliveryFailures);

    private long _bytesSent, _bytesReceived;

    /// <summary>Bytes of frames other nodes have taken from this one, as the transport reported them (<see cref="CountBytes"/>).</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>Bytes of frames this node has received from others, as the transport reported them.</summary>
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    /// <summary>
    /// The transport counts what it carried (per frame, not per message): <paramref name="sent"/> bytes taken by a peer,
    /// <paramref name="received"/> bytes read from one. Read by the node's metrics (<c>wisp.remote.bytes</c>).
    /// </summary>
    public void CountBytes(long sent, long received)
    {
        if (sent != 0) Interlocked.Add(ref _bytesSent, sent);
        if (received != 0) Interlocked.Add(ref _bytesReceived, received);
    }

    // ---- outbound ----

    /// <summary>The transport for a PID of another node, after checking that its node is reachable in its incarnation.</summary>
    private IRemoteTransport Reach(Pid target)
    {
        var transport = Volatile.Read(ref _transport);
        if (transport?.CreationOf(target.Node) is not { } creation) throw NodeNotFound(target.Node);
        if (target.Creation != 0 && target.Creation != creation) throw Node.ProcessNotFound(target);
        return transport;
    }

    internal void Send(Pid target, Message message) => Reach(target).Send(target, message);

    internal void Cancel(Pid target, Pid from, string reason) =>
        Reach(target).Signal(target, new RemoteSignal(RemoteSignalKind.Cancel, from, Reason: reason));

    internal void Terminate(Pid target, Pid from) => Reach(target).Signal(target, new RemoteSignal(RemoteSignalKind.Terminate, from));

    /// <summary>Starts a monitor (or this side of a link) of a remote PID; the watcher's own entry is made by the caller.</summary>
    internal void Watch(Process watcher, Pid target, bool link)
    {
        var transport = Volatile.Read(ref _transport) ?? throw NodeNotFound(target.Node);
        var request = new RemoteSignal(link ? RemoteSignalKind.Link : RemoteSignalKind.Monitor, watcher.Pid);
        if (_watches.TryAdd(watcher, target, link, transport.CreationOf, () => transport.Signal(target, request))) return;
        throw transport.CreationOf(target.Node) is null ? NodeNotFound(target.Node) : Topology.NotRegistered(target);
    }

    /// <summary>Ends a watch the watcher dropped (unmonitor, unlink) and tells the far side.</summary>
    internal void Unwatch(Process watcher, Pid target, bool link)
    {
        if (!_watches.TryTake(watcher, target, link)) return;
        TrySignal(target, new RemoteSignal(link ? RemoteSignalKind.Unlink : RemoteSignalKind.Demonitor, watcher.Pid));
    }

    /// <summary>
    /// A local process has exited: its remote monitors hear the EXIT; its remote links hear LINK_DOWN (an error) or
    /// an unlink; its own monitors of remote PIDs are dropped. Called once, after the exit was recorded.
    /// </summary>
    /// <summary>The processes of other nodes monitoring <paramref name="process"/> (diagnostics).</summary>
    internal List<Pid> MonitorsOf(Process process) => _watches.InboundOf(process);

    internal void OnExit(Process process, ExitResult result, Dictionary<Pid, Process?>? monitoring, Dictionary<Pid, Process?>? links)
    {
        if (_watches.TakeInbound(process) is { } monitors)
            foreach (var watcher in monitors) TrySignal(watcher, new RemoteSignal(RemoteSignalKind.Exit, process.Pid, result));
        if (monitoring is not null)
            foreach (var (target, local) in monitoring)
                if (local is null) Unwatch(process, target, link: false);
        if (links is not null)
            foreach (var (partner, local) in links)
                if (local is null && _watches.TryTake(process, partner, link: true))
                    TrySignal(partner, result.IsError
                        ? new RemoteSignal(RemoteSignalKind.LinkDown, process.Pid, result)
                        : new RemoteSignal(RemoteSignalKind.Unlink, process.Pid));
    }

    /// <summary>A signal whose loss needs no report: the far node is gone, or will be reported lost.</summary>
    private void TrySignal(Pid target, RemoteSignal signal)
    {
        var transport = Volatile.Read(ref _transport);
        if (transport?.CreationOf(target.Node) is not { } creation || (target.Creation != 0 && target.Creation != creation)) return;
        try
        {
            transport.Signal(target, signal);
        }
        catch (WispException e)
        {
            _log.LogWarning("{kind} from {from} to {target} not sent: {error}", signal.Kind, signal.From, target, e.Message);
        }
    }

    // ---- inbound ----

    /// <summary>A message from another node for a process here (failures are counted and logged, not reported).</summary>
    public void Deliver(Pid target, Message message)
    {
        if (!_node.TryFindLocal(target, out var process))
        {
            Failed(target, $"message '{message.Topic}' from {message.From}", "no such process");
            return;
        }
        try
        {
            _node.Deliver(process, message);
        }
        catch (WispException e)
        {
            Failed(target, $"message '{message.Topic}' from {message.From}", e.Message);
        }
    }

    /// <summary>A control signal from a process of another node for a process here.</summary>
    public void Receive(Pid target, RemoteSignal signal)
    {
        var at = _node.Time.GetUtcNow();
        _node.TryFindLocal(target, out var process);
        switch (signal.Kind)
        {
            case RemoteSignalKind.Monitor:
                if (process is null || !_watches.TryAddInbound(process, signal.From))
                    TrySignal(signal.From, new RemoteSignal(RemoteSignalKind.Exit, target, NotRegisteredResult(target)));
                break;
            case RemoteSignalKind.Demonitor:
                if (process is not null) _watches.RemoveInbound(process, signal.From);
                break;
            case RemoteSignalKind.Link:
                if (process is null || !AcceptLink(process, signal.From))
                    TrySignal(signal.From, new RemoteSignal(RemoteSignalKind.LinkDown, target, NotRegisteredResult(target)));
                break;
            case RemoteSignalKind.Unlink:
                if (process is not null && _watches.TryTake(process, signal.From, link: true))
                    lock (process) process.Links?.Remove(signal.From);
                break;
            case RemoteSignalKind.Exit or RemoteSignalKind.LinkDown:
                // Addressed to a watcher here; it may have exited meanwhile (then its watches were taken already).
                if (process is null) break;
                bool link = signal.Kind == RemoteSignalKind.LinkDown;
                if (_watches.TryTake(process, signal.From, link))
                    Post(process, signal.From, link, link ? ProcessEvent.LinkDown(signal.From, at, signal.Result!) : ProcessEvent.Exit(signal.From, at, signal.Result!));
                break;
            case RemoteSignalKind.Cancel:
                if (process is null) Failed(target, $"cancel from {signal.From}", "no such process");
                else process.Post(ProcessEvent.Cancel(signal.From, at, signal.Reason ?? ""));
                break;
            case RemoteSignalKind.Terminate:
                if (process is null) Failed(target, $"terminate from {signal.From}", "no such process");
                else process.Post(TerminateSignal.Instance);
                break;
        }
    }

    /// <summary>The far side of a link: the local process watches the remote one too (its node's loss is a LINK_DOWN here).</summary>
    private bool AcceptLink(Process process, Pid partner)
    {
        lock (process)
        {
            if (process.ExitState is ExitResult) return false;
            if ((process.Links ??= []).ContainsKey(partner)) return true;
            process.Links[partner] = null;
        }
        var transport = Volatile.Read(ref _transport)!;
        if (_watches.TryAdd(process, partner, link: true, transport.CreationOf, () => { })) return true;
        lock (process) process.Links?.Remove(partner);   // the partner's node is gone already: nothing to link to
        return false;
    }

    /// <summary>
    /// The cluster engine has lost <paramref name="node"/> in incarnation <paramref name="creation"/> (it no longer
    /// reports it reachable in that incarnation): every local watch of its processes ends with an EXIT or LINK_DOWN,
    /// and the monitors its processes held here are forgotten.
    /// </summary>
    public void NodeDown(string node, uint creation, string reason)
    {
        var at = _node.Time.GetUtcNow();
        var result = ExitResult.Failure(new ProcessError($"node {node} unreachable: {reason}", ErrorKind.Unavailable));
        int lost = 0;
        _watches.TakeNode(node, creation, (target, watch) =>
        {
            lost++;
            Post(watch.Watcher, target, watch.Link, watch.Link ? ProcessEvent.LinkDown(target, at, result) : ProcessEvent.Exit(target, at, result));
        });
        _watches.DropInbound(node, creation);
        _log.LogInformation("node {node} lost ({reason}): {count} watch(es) told", node, reason, lost);
    }

    /// <summary>Posts an EXIT or LINK_DOWN while the watcher's entry exists (Topology.Consume removes it on the loop).</summary>
    private static void Post(Process watcher, Pid target, bool link, ProcessEvent processEvent)
    {
        lock (watcher)
        {
            bool held = link ? watcher.Links?.ContainsKey(target) == true : watcher.Monitoring?.ContainsKey(target) == true;
            if (held) watcher.Post(processEvent);
        }
    }

    private void Failed(Pid target, string what, string why)
    {
        Interlocked.Increment(ref _deliveryFailures);
        _log.LogDebug("{what} for {target} not delivered: {why}", what, target, why);
    }

    private static ExitResult NotRegisteredResult(Pid target) =>
        ExitResult.Failure(new ProcessError($"pid not registered: {target}", ErrorKind.NotFound));

    internal static WispException NodeNotFound(string node) => new(ErrorKind.NotFound, $"node not found: {node}");
}
