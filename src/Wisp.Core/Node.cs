using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Wisp;

/// <summary>What a node is made of; everything has a default, so <c>new Node()</c> runs.</summary>
public sealed record NodeOptions
{
    /// <summary>The node's name in PIDs (<c>{node@host|id}</c>); empty on a standalone node.</summary>
    public string Name { get; init; } = "";

    /// <summary>
    /// This incarnation of the node (see <see cref="Pid.Creation"/>): different at every start of a node that other
    /// nodes may know from an earlier life; 0 on a standalone node.
    /// </summary>
    public uint Creation { get; init; }
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;
    public TimeProvider Time { get; init; } = TimeProvider.System;
    public IProcessCatalog Catalog { get; init; } = new ProcessCatalog();

    /// <summary>The registry scope of a register that names none (LOCAL unless the node runs in a cluster and says so).</summary>
    public RegistryScope DefaultScope { get; init; } = RegistryScope.Local;

    /// <summary>
    /// Makes each host's scheduler; by default Wisp's worker pool (<see cref="WorkerPool.Shared"/>), or, when the host sets
    /// workers, a <see cref="BoundedScheduler"/> on the .NET thread pool.
    /// </summary>
    public Func<HostOptions, IWorkScheduler>? SchedulerFactory { get; init; }

    /// <summary>
    /// Makes the node's meter (<see cref="NodeMetrics"/>), e.g. a host's dependency-injected factory, which then owns it;
    /// null: the node makes its own and disposes it with itself.
    /// </summary>
    public IMeterFactory? MeterFactory { get; init; }
}

/// <summary>
/// A node: the runtime of one machine. It owns the PID ids, the hosts, the table of live processes, the
/// name registry and the topology, and offers the operations that can be done from outside any process
/// (spawn, send, cancel, terminate, wait for an exit). Inside a process, use its <see cref="ProcessContext"/>.
/// Disposing it releases its meter (<see cref="Metrics"/>); it does not stop its processes (<see cref="StopHostAsync"/>).
/// </summary>
public sealed class Node : IDisposable
{
    private readonly ProcessTable _processes = new();
    private readonly ConcurrentDictionary<string, Host> _hosts = new(StringComparer.Ordinal);
    private readonly Func<HostOptions, IWorkScheduler> _schedulers;
    private readonly long _startedAt;   // the node's clock's timestamp at its creation
    private readonly long _startedAtTick;   // Environment.TickCount64 then (used only on the system clock)

    public Node(NodeOptions? options = null)
    {
        options ??= new NodeOptions();
        Name = Pid.CheckPart(options.Name, "node");
        Creation = options.Creation;
        LoggerFactory = options.LoggerFactory;
        Time = options.Time;
        _startedAt = Time.GetTimestamp();
        _startedAtTick = Environment.TickCount64;
        Catalog = options.Catalog;
        _schedulers = options.SchedulerFactory ?? (o => o.Workers is { } n ? new BoundedScheduler(n) : WorkerPool.Shared);
        Topology = new Topology(this);
        Remote = new RemoteNodes(this);
        Registry.DefaultScope = options.DefaultScope;
        Metrics = new NodeMetrics(this, options.MeterFactory);
    }

    /// <summary>The node's instruments (System.Diagnostics.Metrics, meter <see cref="WispTelemetry.MeterName"/>).</summary>
    public NodeMetrics Metrics { get; }

    public void Dispose() => Metrics.Dispose();

    public string Name { get; }
    public uint Creation { get; }
    public ILoggerFactory LoggerFactory { get; }
    public TimeProvider Time { get; }
    public IProcessCatalog Catalog { get; }
    public Registry Registry { get; } = new();
    internal Topology Topology { get; }

    private long _discardedMessages;

    /// <summary>
    /// Messages that reached a process here and were never read because it exited first (in its mailbox, its
    /// inbox or a listen channel, or held for an inbox it never opened): discarded, as Erlang does, and counted.
    /// A send that finds the process exited is not counted here: its sender gets an error.
    /// </summary>
    public long DiscardedMessages => Interlocked.Read(ref _discardedMessages);

    internal void CountDiscarded(int messages)
    {
        if (messages > 0) Interlocked.Add(ref _discardedMessages, messages);
    }

    /// <summary>The way to processes of other nodes, once a cluster engine has attached its transport.</summary>
    public RemoteNodes Remote { get; }

    public int ProcessCount => _processes.Count;

    /// <summary>Pages of the process table (tests: what empty pages a failed spawn may leave).</summary>
    internal int ProcessTablePages => _processes.PageCount;

    public Host AddHost(string id, HostOptions? options = null)
    {
        if (string.IsNullOrEmpty(id)) throw new WispException(ErrorKind.Invalid, "host id cannot be empty");
        Pid.CheckPart(id, "host");
        options ??= new HostOptions();
        var host = new Host(this, id, options, _schedulers(options));
        if (!_hosts.TryAdd(id, host)) throw new WispException(ErrorKind.AlreadyExists, $"host already exists: {id}");
        return host;
    }

    public Host? FindHost(string id) => _hosts.GetValueOrDefault(id);

    internal ICollection<Host> Hosts => _hosts.Values;

    /// <summary>The processes in the table now (a walk for diagnostics, not a hot path); some may be exiting.</summary>
    internal IEnumerable<Process> LiveProcesses() => _processes.Snapshot();

    /// <summary>Time since the node was made, on its clock.</summary>
    public TimeSpan Uptime => Time.GetElapsedTime(_startedAt);

    /// <summary>
    /// Seconds since the node was made, on its clock (each spawn reads it). On the system clock, from the coarse
    /// millisecond tick, which costs a few ns where a precise timestamp costs ~25 (a VM's clock): seconds need no more.
    /// </summary>
    internal int SecondsSinceStart() => Time == TimeProvider.System
        ? (int)Math.Min(int.MaxValue, (Environment.TickCount64 - _startedAtTick) / 1000)
        : (int)Math.Min(int.MaxValue, Uptime.TotalSeconds);

    /// <summary>
    /// The node's live processes as they stand (for a live view such as <c>wisp top</c>): one walk of the process
    /// table, each process read without pausing it (<see cref="ProcessInfo"/>), ordered by PID. A process spawned
    /// or exiting during the walk may or may not be in it.
    /// </summary>
    public IReadOnlyList<ProcessInfo> InspectProcesses()
    {
        var found = new List<ProcessInfo>(ProcessCount);
        foreach (var process in _processes.Snapshot())
            if (!process.IsExited) found.Add(process.Inspect());
        found.Sort(static (a, b) => a.Pid.Id.CompareTo(b.Pid.Id));
        return found;
    }

    /// <summary>One live process of this node with its links and monitors; false if the PID names none.</summary>
    public bool TryInspectProcess(Pid pid, [NotNullWhen(true)] out ProcessDetail? detail)
    {
        detail = TryFindLocal(pid, out var process) ? process.InspectDetail() : null;
        return detail is not null;
    }

    /// <summary>Spawns an entry from the catalog, with no parent.</summary>
    public Pid Spawn(string entry, string host, params object?[] args) => Spawn(null, FindDefinition(entry), host, args, false, false);

    /// <summary>Spawns a process running <paramref name="body"/>, with no parent.</summary>
    public Pid Spawn(string host, ProcessBody body, params object?[] args) =>
        Spawn(null, ProcessDefinition.FromBody("", body), host, args, false, false);

    /// <summary>
    /// Spawns an entry with no parent and watches it: the task completes with its exit result, however soon
    /// it exits (unlike calling <see cref="WhenExited"/> after the spawn returned).
    /// </summary>
    public (Pid Pid, Task<ExitResult> Exited) SpawnWatched(string entry, string host, params object?[] args) =>
        SpawnWatched(entry, host, args, values: null);

    /// <summary>
    /// <see cref="SpawnWatched(string, string, object?[])"/> with a request context: values the process reads with
    /// <see cref="ProcessContext.Values"/> and passes on to the processes it spawns.
    /// </summary>
    public (Pid Pid, Task<ExitResult> Exited) SpawnWatched(string entry, string host, object?[] args, IReadOnlyDictionary<string, object?>? values)
    {
        var exited = new TaskCompletionSource<ExitResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        return (Spawn(null, FindDefinition(entry), host, args, false, false, exited, values), exited.Task);
    }

    /// <summary>Spawns a process from a definition, with no parent.</summary>
    public Pid Spawn(ProcessDefinition definition, string host, params object?[] args) => Spawn(null, definition, host, args, false, false);

    internal ProcessDefinition FindDefinition(string entry) =>
        Catalog.Find(entry) ?? throw new WispException(ErrorKind.NotFound, $"entry not found: {entry}");

    internal Pid Spawn(Process? parent, ProcessDefinition definition, string hostId, object?[] args, bool monitor, bool link,
        TaskCompletionSource<ExitResult>? exited = null, IReadOnlyDictionary<string, object?>? values = null)
    {
        var host = FindHost(hostId) ?? throw new WispException(ErrorKind.NotFound, $"host not found: {hostId}");
        if (!host.IsAccepting) throw new WispException(ErrorKind.Unavailable, $"host is stopping: {hostId}");
        args = definition.PrepareArguments(args);
        ulong id = _processes.NewId(byCore: parent is not null);
        var pid = Pid.Trusted(host.PidOrigin, id);
        Process child;
        try
        {
            child = new Process(host, pid, definition, args);   // its definition picks its scheduler, and may refuse
        }
        catch
        {
            _processes.Forfeit(id);
            throw;
        }
        if (parent is not null) Topology.AttachChild(parent, child, monitor, link);
        child.ExitState = exited;
        child.Values = values ?? parent?.Values;   // read on the parent's loop, which is running this spawn
        host.Counts.For(definition.Kind).CountSpawn();
        _processes.Add(child);
        child.Start(parent);
        return pid;
    }

    public bool IsAlive(Pid pid) => TryFind(pid, out _);

    public IReadOnlyList<Pid> ProcessesOn(string hostId) =>
        _processes.Snapshot().Where(p => p.Host.Id == hostId && !p.IsExited).Select(p => p.Pid).ToList();

    /// <summary>Sends from outside any process (the sender is <see cref="Pid.None"/>).</summary>
    public void Send(string destination, string topic, object? payload)
    {
        var message = new Message(CheckTopic(topic), Pid.None, payload);
        if (WispTelemetry.Source.HasListeners()) MessageTracing.Send(this, destination, message, null, static (n, d, m, s) => n.Send(d, m, s));
        else Send(destination, message);
    }

    public void Send(Pid destination, string topic, object? payload)
    {
        var message = new Message(CheckTopic(topic), Pid.None, payload);
        if (WispTelemetry.Source.HasListeners()) MessageTracing.Send(this, destination, message, null, static (n, d, m, s) => n.Send(d, m, s));
        else Send(destination, message);
    }

    /// <summary>
    /// Asks a process to stop: a CANCEL event with <paramref name="reason"/> (cooperative). To a process of another
    /// node, it is queued for that node and not reported back.
    /// </summary>
    public void Cancel(Pid pid, string reason, Pid from = default)
    {
        if (IsRemote(pid)) Remote.Cancel(pid, from, reason);
        else Resolve(pid).Post(ProcessEvent.Cancel(from, Time.GetUtcNow(), reason));
    }

    /// <summary>Ends a process by force: it exits with the error "process terminated".</summary>
    public void Terminate(Pid pid, Pid from = default)
    {
        if (IsRemote(pid)) Remote.Terminate(pid, from);
        else Resolve(pid).Post(TerminateSignal.Instance);
    }

    /// <summary><see cref="Cancel"/> of a process that may have ended already: false if it had (a remote one is always tried).</summary>
    public bool TryCancel(Pid pid, string reason, Pid from = default)
    {
        if (IsRemote(pid)) return TryRemote(() => Remote.Cancel(pid, from, reason));
        if (!TryFind(pid, out var process)) return false;
        process.Post(ProcessEvent.Cancel(from, Time.GetUtcNow(), reason));
        return true;
    }

    /// <summary><see cref="Terminate"/> of a process that may have ended already: false if it had (a remote one is always tried).</summary>
    public bool TryTerminate(Pid pid)
    {
        if (IsRemote(pid)) return TryRemote(() => Remote.Terminate(pid, default));
        if (!TryFind(pid, out var process)) return false;
        process.Post(TerminateSignal.Instance);
        return true;
    }

    private static bool TryRemote(Action signal)
    {
        try
        {
            signal();
            return true;
        }
        catch (WispException e) when (e.Kind == ErrorKind.NotFound)
        {
            return false;
        }
    }

    /// <summary>
    /// Completes when a live process exits, with its result. A process that has already exited is not found
    /// (results are not kept): to watch a process from its first instant, use <see cref="SpawnWatched(string, string, object?[])"/>.
    /// </summary>
    public Task<ExitResult> WhenExited(Pid pid)
    {
        var process = Resolve(pid);
        lock (process)
        {
            switch (process.ExitState)
            {
                case ExitResult result: return Task.FromResult(result);
                case TaskCompletionSource<ExitResult> waiter: return waiter.Task;
                default:
                    var created = new TaskCompletionSource<ExitResult>(TaskCreationOptions.RunContinuationsAsynchronously);
                    process.ExitState = created;
                    return created.Task;
            }
        }
    }

    /// <summary>
    /// Whether the live process <paramref name="pid"/> has opened its events channel, and so can hear a CANCEL. One
    /// that has not cannot stop cooperatively: waiting for it would only wait out a timeout (Erlang kills a process
    /// that does not trap exits at once, for the same reason).
    /// </summary>
    public bool HearsCancel(Pid pid) => TryFind(pid, out var process) && process.HearsEvents;

    /// <summary>
    /// Stops a host as the seed's scheduler does: no new spawns, CANCEL "scheduler shutdown" to every process (a
    /// process that cannot hear it, see <see cref="HearsCancel"/>, is terminated at once), then, after
    /// <paramref name="timeout"/>, terminate for those still running.
    /// </summary>
    public async Task StopHostAsync(string hostId, TimeSpan timeout)
    {
        var host = FindHost(hostId) ?? throw new WispException(ErrorKind.NotFound, $"host not found: {hostId}");
        host.StopAccepting();
        // A spawn that passed its check just before StopAccepting can land after a snapshot: take them until none is left.
        if (await Stop(hostId, p =>
            {
                if (HearsCancel(p)) Cancel(p, "scheduler shutdown");
                else Terminate(p);
            }, timeout)) return;
        if (await Stop(hostId, p => Terminate(p), timeout)) return;
        var stuck = ProcessesOn(hostId);
        if (stuck.Count > 0)
            LoggerFactory.CreateLogger("wisp.node").LogError(
                "host {host}: {count} process(es) did not end after terminate (a loop that never awaits?): {pids}",
                hostId, stuck.Count, string.Join(", ", stuck.Take(5)));
    }

    /// <summary>Applies <paramref name="stop"/> to the host's processes, again for late arrivals; true once none is left.</summary>
    private async Task<bool> Stop(string hostId, Action<Pid> stop, TimeSpan timeout)
    {
        var deadline = Task.Delay(timeout, Time);
        while (ProcessesOn(hostId) is { Count: > 0 } live)
        {
            var exits = new List<Task>();
            foreach (var pid in live)
            {
                try
                {
                    exits.Add(WhenExited(pid));
                    stop(pid);
                }
                catch (WispException e) when (e.Kind == ErrorKind.NotFound) { }   // exited meanwhile
            }
            if (await Task.WhenAny(Task.WhenAll(exits), deadline) == deadline) return false;
        }
        return true;
    }

    internal void Deliver(Process target, Message message, Process? sender = null)
    {
        switch (target.PostMessage(message, sender))
        {
            case MessagePost.Full:
                throw new WispException(ErrorKind.LimitExceeded,
                    $"mailbox full: process {target.Pid} holds {target.Host.Options.MailboxLimit} undelivered messages (host {target.Host.Id} limit)");
            case MessagePost.Exited:
                throw ProcessNotFound(target.Pid);
        }
    }

    /// <summary>Sends to a PID here or on another node (see <see cref="RemoteNodes"/>).</summary>
    internal void Send(Pid destination, Message message, Process? sender = null)
    {
        // A PID made by one of this node's hosts names that host's process without any text compared.
        if (_processes.Find(destination.Id) is { } found && destination.HasOrigin(found.Host.PidOrigin)) Deliver(found, message, sender);
        else if (IsRemote(destination)) Remote.Send(destination, message);
        else Deliver(Resolve(destination), message, sender);
    }

    /// <summary>Sends to a PID string or a registered name, resolved now.</summary>
    internal void Send(string destination, Message message, Process? sender = null)
    {
        if (destination.StartsWith('{')) Send(ParsePid(destination), message, sender);
        else if (Registry.Cluster?.Lookup(destination) is { } clustered) Send(clustered, message, sender);
        else if (Registry.TryResolve(destination, out var named) && !named.IsExited) Deliver(named, message, sender);
        else throw new WispException(ErrorKind.NotFound, $"could not resolve '{destination}' as PID or registered name");
    }

    internal static Pid ParsePid(string text) =>
        Pid.TryParse(text, out var pid) ? pid : throw new WispException(ErrorKind.Invalid, $"invalid pid format: '{text}'");

    /// <summary>Whether the PID names another node (a PID without a node part is this node's).</summary>
    internal bool IsRemote(Pid pid) => pid.Node.Length > 0 && pid.Node != Name;

    internal Process Resolve(Pid pid) => TryFind(pid, out var process) ? process : throw ProcessNotFound(pid);

    internal static string CheckTopic(string topic)
    {
        if (string.IsNullOrEmpty(topic)) throw new WispException(ErrorKind.Invalid, "topic cannot be empty");
        if (topic[0] == '@') throw new WispException(ErrorKind.Invalid, "cannot send to @ topics");
        return topic;
    }

    internal void Forget(Process process) => _processes.Remove(process);

    private bool TryFind(Pid pid, out Process process)
    {
        if (IsRemote(pid)) throw RemoteNodes.NodeNotFound(pid.Node);   // where a process object is needed
        return TryFindLocal(pid, out process);
    }

    /// <summary>The live process of a PID of this node, in this incarnation; false for any other PID.</summary>
    internal bool TryFindLocal(Pid pid, out Process process)
    {
        process = null!;
        if (IsRemote(pid) || (pid.Creation != 0 && pid.Creation != Creation)) return false;
        process = _processes.Find(pid.Id)!;
        return process is not null && process.Host.Id == pid.Host && !process.IsExited;
    }

    internal static WispException ProcessNotFound(Pid pid) => new(ErrorKind.NotFound, $"process not found: {pid}");
}
