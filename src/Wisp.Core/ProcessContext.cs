using Microsoft.Extensions.Logging;

namespace Wisp;

/// <summary>Whether a spawned child is monitored by, and/or linked to, its spawner.</summary>
[Flags]
public enum SpawnOptions
{
    None = 0,
    Monitored = 1,
    Linked = 2,
}

/// <summary>
/// What a process's code is given: the operations of the seed's <c>process</c>, <c>channel</c> and <c>time</c>
/// modules, acting in the name of this process. It is passed explicitly to main; there is no ambient process.
///
/// Threading: call it only from the process's own code (main and its coroutines), which the runtime runs one
/// at a time on the process's loop. Operations throw <see cref="ProcessExitedException"/> once the process
/// has exited, so code left running after a failure stops at its next call.
///
/// A handle, as a CancellationToken is one over its source: copies act on the same process, and a process costs no
/// object for it. A default ProcessContext belongs to no process and refuses every use.
/// </summary>
public readonly struct ProcessContext : IEquatable<ProcessContext>
{
    private readonly Process? _owner;

    internal ProcessContext(Process process) => _owner = process;

    private Process Owner =>
        _owner ?? throw new WispException(ErrorKind.InvalidState, "a default ProcessContext belongs to no process");

    public Pid Pid => Owner.Pid;

    /// <summary>The entry this process runs (<c>app:relay</c>); empty for a process spawned from a delegate.</summary>
    public string EntryId => Owner.EntryId;

    public string HostId => Owner.Host.Id;
    public IReadOnlyList<object?> Args => Owner.Args;

    /// <summary>The request context this process was spawned with (empty if none): a caller's, or its spawner's.</summary>
    public IReadOnlyDictionary<string, object?> Values => Owner.Values ?? System.Collections.ObjectModel.ReadOnlyDictionary<string, object?>.Empty;
    public Node Node => Owner.Node;

    /// <summary>A logger whose every entry carries this process's PID (the same one on every call from the process's code).</summary>
    public ILogger Logger => Owner.Logger;

    // ---- receiving ----

    // The runtime feeds these channels, so the process receives them receive-only: it cannot send into or
    // close its own inbox, events or listen channels.

    /// <summary>The inbox: messages whose topic has no listener, in arrival order. The same channel on every call.</summary>
    public ReceiveChannel<Message> Inbox => new(Live().Inbox);

    /// <summary>Lifecycle events (EXIT, LINK_DOWN with trap_links, CANCEL). The same channel on every call.</summary>
    public ReceiveChannel<ProcessEvent> Events => new(Live().Events);

    /// <summary>A channel for messages of one topic; they no longer go to the inbox. The same channel per topic.</summary>
    public ReceiveChannel<Message> Listen(string topic) => new(Live().Listen(topic));

    /// <summary>Stops listening: the channel is closed, its undelivered messages go to the inbox. False if not listening.</summary>
    public bool Unlisten(ReceiveChannel<Message> channel) => Live().Unlisten(channel.Inner);

    // ---- sending ----

    /// <summary>Sends one payload to a PID. Fails if the process is not alive ("process not found").</summary>
    public void Send(Pid destination, string topic, object? payload = null) =>
        Post(destination, new Message(Node.CheckTopic(topic), Live().Pid, payload));

    /// <summary>Sends one payload to a PID string or a registered name, resolved now.</summary>
    public void Send(string destination, string topic, object? payload = null) =>
        Post(destination, new Message(Node.CheckTopic(topic), Live().Pid, payload));

    /// <summary>Sends one message carrying several payloads.</summary>
    public void SendMany(string destination, string topic, params object?[] payloads) =>
        Post(destination, new Message(Node.CheckTopic(topic), Live().Pid, payloads));

    /// <summary>Sends one message carrying several payloads to a PID.</summary>
    public void SendMany(Pid destination, string topic, params object?[] payloads) =>
        Post(destination, new Message(Node.CheckTopic(topic), Live().Pid, payloads));

    /// <summary>Sends a message built beforehand with <see cref="NewMessage"/> (no allocation per send).</summary>
    public void Send(Pid destination, Message message)
    {
        if (message.From != Live().Pid) throw new WispException(ErrorKind.Invalid, "a message can only be sent by the process that built it");
        Post(destination, message);
    }

    // Every send of the process's code: traced while a listener samples (MessageTracing), counted once it succeeded.
    private void Post(Pid destination, Message message)
    {
        if (WispTelemetry.Source.HasListeners())
            MessageTracing.Send(Node, destination, message, Owner, static (n, d, m, s) => n.Send(d, m, s));
        else Node.Send(destination, message, Owner);
        Owner.MessageSent();
    }

    private void Post(string destination, Message message)
    {
        if (WispTelemetry.Source.HasListeners())
            MessageTracing.Send(Node, destination, message, Owner, static (n, d, m, s) => n.Send(d, m, s));
        else Node.Send(destination, message, Owner);
        Owner.MessageSent();
    }

    public Message NewMessage(string topic, object? payload) => new(Node.CheckTopic(topic), Live().Pid, payload);

    // ---- spawning ----

    public Pid Spawn(string entry, string host, params object?[] args) => SpawnEntry(entry, host, args, SpawnOptions.None);
    public Pid SpawnMonitored(string entry, string host, params object?[] args) => SpawnEntry(entry, host, args, SpawnOptions.Monitored);
    public Pid SpawnLinked(string entry, string host, params object?[] args) => SpawnEntry(entry, host, args, SpawnOptions.Linked);
    public Pid SpawnLinkedMonitored(string entry, string host, params object?[] args) =>
        SpawnEntry(entry, host, args, SpawnOptions.Monitored | SpawnOptions.Linked);

    /// <summary>Spawns a process running <paramref name="body"/> on <paramref name="host"/> (default: this process's host).</summary>
    public Pid Spawn(ProcessBody body, SpawnOptions options = SpawnOptions.None, string? host = null, params object?[] args) =>
        Node.Spawn(Live(), ProcessDefinition.FromBody("", body), host ?? HostId, args,
            options.HasFlag(SpawnOptions.Monitored), options.HasFlag(SpawnOptions.Linked));

    private Pid SpawnEntry(string entry, string host, object?[] args, SpawnOptions options) =>
        Node.Spawn(Live(), Node.FindDefinition(entry), host, args,
            options.HasFlag(SpawnOptions.Monitored), options.HasFlag(SpawnOptions.Linked));

    // ---- monitors, links, control ----

    /// <summary>
    /// Monitors a process: an EXIT arrives when it ends. A process of another node is monitored through its node;
    /// the loss of that node is an EXIT too (error "node x unreachable: ...").
    /// </summary>
    public void Monitor(Pid target)
    {
        if (Node.IsRemote(target)) Node.Topology.MonitorRemote(Live(), target);
        else Node.Topology.Monitor(Live(), ResolveForTopology(target));
    }

    public void Unmonitor(Pid target) => Node.Topology.Unmonitor(Live(), target);

    /// <summary>Links with a process (here or on another node, whose loss is then a LINK_DOWN).</summary>
    public void Link(Pid target)
    {
        if (Node.IsRemote(target)) Node.Topology.LinkRemote(Live(), target);
        else Node.Topology.Link(Live(), ResolveForTopology(target));
    }

    public void Unlink(Pid target) => Node.Topology.Unlink(Live(), target);

    /// <summary>Asks a process to stop: it gets CANCEL with <paramref name="reason"/> on its events (cooperative).</summary>
    public void Cancel(Pid target, string reason = "") => Node.Cancel(target, reason, Live().Pid);

    /// <summary>Ends a process by force ("process terminated").</summary>
    public void Terminate(Pid target) => Node.Terminate(target, Live().Pid);

    /// <summary>With trap_links, LINK_DOWN arrives on <see cref="Events"/> instead of killing this process.</summary>
    public bool TrapLinks
    {
        get => Owner.TrapLinks;
        set => Live().TrapLinks = value;
    }

    public ProcessRegistry Registry => new(Live());

    // ---- coroutines, channels, select, time ----

    /// <summary>
    /// Starts a coroutine on this process: it runs at once, until its first wait, before the caller goes on;
    /// it shares the process's memory (one runs at a time); if it throws, the process fails; when main
    /// returns, it is stopped.
    /// </summary>
    public void Go(Func<Task> coroutine) => Live().Go(coroutine);

    public Channel<T> NewChannel<T>(int capacity = 0) => new(Live(), capacity);

    /// <summary>Waits until one case can proceed and performs exactly that one (see Select.cs for the rules).</summary>
    public ValueTask<SelectResult> Select(params ReadOnlySpan<SelectCase> cases) => SelectOp.Run(Live(), cases, hasDefault: false);

    /// <summary>Performs a ready case, or returns <see cref="SelectResult.Default"/> without waiting.</summary>
    public SelectResult TrySelect(params ReadOnlySpan<SelectCase> cases)
    {
        var pending = SelectOp.Run(Live(), cases, hasDefault: true);
        return pending.Result;
    }

    public DateTimeOffset Now => Node.Time.GetUtcNow();

    /// <summary>
    /// The activity of the traced message this slice took (a child of its send), to parent activities of the
    /// process's own on; null when the message was not traced or no listener samples Wisp's source (MessageTracing).
    /// </summary>
    public System.Diagnostics.Activity? Activity => Owner.TraceActivity;

    /// <summary>Suspends the calling coroutine only; the process's other coroutines go on.</summary>
    public ValueTask Sleep(TimeSpan duration)
    {
        var process = Live();
        if (duration <= TimeSpan.Zero) return ValueTask.CompletedTask;
        var done = new Completion(process);
        _ = new ProcessTimer(process, duration, Timeout.InfiniteTimeSpan, _ => done.Complete());
        return done.Task;
    }

    /// <summary>A channel that receives the time once, after <paramref name="duration"/>, then closes.</summary>
    public Channel<DateTimeOffset> After(TimeSpan duration)
    {
        var process = Live();
        Durations.RequirePositive(duration);
        var channel = new Channel<DateTimeOffset>(process, 1);
        _ = new ProcessTimer(process, duration, Timeout.InfiniteTimeSpan, firedAt =>
        {
            WispTimer.Deliver(channel, firedAt);
            channel.CloseCore();
        });
        return channel;
    }

    public WispTimer NewTimer(TimeSpan duration)
    {
        Durations.RequirePositive(duration);
        return new WispTimer(Live(), duration);
    }

    public Ticker NewTicker(TimeSpan period)
    {
        Durations.RequirePositive(period);
        return new Ticker(Live(), period);
    }

    /// <summary>
    /// Gives up the rest of this slice: the process queues behind the others and the calling coroutine resumes
    /// in its next slice (for long computations that would otherwise keep other processes off the worker).
    /// </summary>
    public ValueTask YieldSlice() => Live().YieldSlice();

    /// <summary>
    /// Runs <paramref name="hook"/> on this process's loop when it ends, by any path (return, error, terminate, a
    /// failed link, shutdown), before its monitors and links hear of it: the place to release what the process
    /// holds outside .NET. Hooks run last registered first; one that throws is logged and the others still run.
    /// </summary>
    public void OnExit(Action<ExitResult> hook) => Live().OnExit(hook);

    /// <summary>A service the host offers to its processes (the terminal of a terminal host), or null.</summary>
    public T? Feature<T>() where T : class => Owner.Host.GetFeature<T>();

    /// <summary>The process, checked to be live and on its loop (the caller is its code).</summary>
    private Process Live()
    {
        var process = Owner;
        if (process.IsExited) throw new ProcessExitedException(process.Pid);
        if (!process.IsOnLoop)
            throw new WispException(ErrorKind.InvalidState,
                $"process {process.Pid}: operations must run on the process's own loop (after ConfigureAwait(false), code runs elsewhere)");
        return process;
    }

    private Process ResolveForTopology(Pid target)
    {
        try
        {
            return Node.Resolve(target);
        }
        catch (WispException e) when (e.Kind == ErrorKind.NotFound)
        {
            throw new WispException(ErrorKind.NotFound, $"pid not registered: {target}");
        }
    }

    public bool Equals(ProcessContext other) => ReferenceEquals(_owner, other._owner);
    public override bool Equals(object? obj) => obj is ProcessContext other && Equals(other);
    public override int GetHashCode() => _owner?.GetHashCode() ?? 0;
    public static bool operator ==(ProcessContext left, ProcessContext right) => left.Equals(right);
    public static bool operator !=(ProcessContext left, ProcessContext right) => !left.Equals(right);
}

/// <summary>The name registry as seen from a process: registering defaults to the process itself.</summary>
public readonly struct ProcessRegistry
{
    private readonly Process _process;

    internal ProcessRegistry(Process process) => _process = process;

    /// <summary>Registers this process under <paramref name="name"/> in the node's default scope (idempotent; another holder is an error).</summary>
    public void Register(string name) => Register(name, _process.Node.Registry.DefaultScope);

    /// <summary>
    /// Registers this process under <paramref name="name"/> in <paramref name="scope"/> (a cluster scope needs a cluster;
    /// CONSISTENT and STRONG wait for the cluster's answer: <see cref="RegisterAsync(string, RegistryScope)"/>).
    /// </summary>
    public void Register(string name, RegistryScope scope) => _process.Node.Registry.Register(name, _process, scope);

    /// <summary>Registers this process in any scope, once the cluster agrees where it must (the first holder of a CONSISTENT name wins).</summary>
    public Task RegisterAsync(string name, RegistryScope scope) => _process.Node.Registry.RegisterAsync(name, _process, scope);

    /// <summary>Registers this process in the node's default scope, waiting for the cluster where the scope needs it.</summary>
    public Task RegisterAsync(string name) => RegisterAsync(name, _process.Node.Registry.DefaultScope);

    /// <summary>Registers another live process of this node in any scope.</summary>
    public Task RegisterAsync(string name, Pid pid, RegistryScope scope) =>
        _process.Node.Registry.RegisterAsync(name, _process.Node.Resolve(pid), scope);

    /// <summary>Registers another live process of this node under <paramref name="name"/>.</summary>
    public void Register(string name, Pid pid) => Register(name, pid, _process.Node.Registry.DefaultScope);

    public void Register(string name, Pid pid, RegistryScope scope) => _process.Node.Registry.Register(name, _process.Node.Resolve(pid), scope);

    /// <summary>The holder of <paramref name="name"/>: cluster scopes first, then this node's names; null if none.</summary>
    public Pid? Lookup(string name) => _process.Node.Registry.Lookup(name);

    /// <summary>Removes a local name (held by any process of this node); false if it was not registered.</summary>
    public bool Unregister(string name) => _process.Node.Registry.Unregister(name);

    /// <summary>Removes a name this process holds in <paramref name="scope"/>; false if it does not hold it there.</summary>
    public bool Unregister(string name, RegistryScope scope) => _process.Node.Registry.Unregister(name, _process, scope);
}
