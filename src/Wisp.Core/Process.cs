using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Wisp;

/// <summary>
/// A process: a single-threaded event loop run on a scheduler (its host's, or the one its definition picks), one
/// slice at a time. This file holds the loop and its scheduling; the other mechanisms are in Process.*.cs
/// (routing of the mailbox, coroutines, exit).
///
/// Invariants:
/// - at most one thread runs the loop at a time: the mailbox's scheduled flag is set from the moment the
///   process is queued until a slice ends with nothing left to do, and only the caller that sets it queues the
///   process (and may set its <see cref="_chain"/>, which nobody else touches until the slice runs); flag and
///   items change under the mailbox's lock, so a post during a slice is either seen by that slice's end
///   (<see cref="Mailbox.TryPark"/> keeps the flag, the loop runs again) or finds the flag clear and queues it;
/// - where it is queued: behind the others (a wake-up from outside, a timer, a slice that ran out of rounds, a child
///   spawned while messages wait in the spawner's inbox), or next on the waker's worker (a child spawned by a slice,
///   the first process a slice wakes), at most <see cref="MaxChain"/> times in a row while other work waits, so the
///   shared queue is never starved;
/// - other threads never touch loop state; they only append to the <see cref="Mailbox"/> and queue the
///   process (<see cref="Post(object, Process?)"/>);
/// - the main function and every coroutine run on the loop, one at a time, so they share state without locks;
///   their awaits complete on the loop (Completion, SelectOp) or are posted back to it (the process's
///   SynchronizationContext), never elsewhere;
/// - mailbox items are routed in arrival order: a message goes to the listen channel of its topic, else to
///   the inbox, else waits (held) until one exists; nothing is dropped while the process lives;
/// - once exited, the process runs no more user code, its topology is cleared, and posts are refused (a post
///   that passed the check just as the process exited leaves an item nobody reads; the scheduled flag stays
///   set, so nothing queues the process again);
/// - only the loop ends its process (<see cref="Exit"/> refuses other threads);
/// - a process runs on one scheduler for its whole life (<see cref="_scheduler"/>, chosen at spawn by its
///   definition): a Lua process must stay with the Lua state that holds it.
/// Locking: the process object's monitor guards its topology fields (monitors, links, names, the exit result);
/// it is taken one process at a time, never nested in another's; only the name table's lock is taken inside it
/// (NameTable), a leaf. The exited flag is
/// volatile: set by the loop, read anywhere.
/// </summary>
internal sealed partial class Process : IThreadPoolWorkItem
{
    private const int MaxRoundsPerSlice = 64;
    private const int MaxContinuationsPerRound = 1024;
    private const int MaxChain = 32;

    private readonly ProcessDefinition _definition;
    private readonly IWorkScheduler _scheduler;
    private readonly object?[] _args;
    private Mailbox _mailbox = new();   // a mutable struct: always used in place
    private int _loopThread;
    private bool _handedOff;    // this slice has woken a process onto its worker (HandOff)
    private byte _chain;        // how many runs-next in a row led to this slice (RunNext)
    private RunQueue _run;
    private bool _started;
    private ulong _arrivals;    // messages and events routed from the mailbox: their sequence numbers (loop only)
    private long _messagesOut;  // messages this process's code sent (loop only; NodeMetrics reads it)
    private Channel<Message>? _inbox;
    private Channel<ProcessEvent>? _events;
    private Rare? _rare;
    private readonly ulong _id;
    private readonly int _spawnedAt;   // seconds since the node's start, on its clock (ProcessInfo.Uptime)
    private Task<object?>? _main;
    private int _pending;       // messages posted and not yet taken by the process (counted on hosts with a mailbox limit)
    private volatile bool _exited;

    // Topology, guarded by lock (this); see Topology.cs and Registry.cs.
    internal OneOrMany<Process> Monitors;            // who gets EXIT when this process ends
    private Watching? _watching;                     // whom this process monitors and is linked to; most processes have neither
    internal object? Names;                          // null, a name, or an immutable set of them; written under NameTable's lock too, read without
    internal int NameHash;                           // NameTable's: the hash of Names when it is one name
    /// <summary>Before the exit, the waiter of <see cref="Node.WhenExited"/> if any; after it, the <see cref="ExitResult"/>.</summary>
    internal object? ExitState;

    /// <summary>Whom this process monitors (null: a PID of another node); a relay may watch thousands. Under lock (this).</summary>
    internal Dictionary<Pid, Process?>? Monitoring
    {
        get => _watching?.Monitoring;
        set
        {
            if (value is not null || _watching is not null) (_watching ??= new()).Monitoring = value;
        }
    }

    /// <summary>The processes linked to this one (null: a PID of another node, see RemoteWatches). Under lock (this).</summary>
    internal Dictionary<Pid, Process?>? Links
    {
        get => _watching?.Links;
        set
        {
            if (value is not null || _watching is not null) (_watching ??= new()).Links = value;
        }
    }

    /// <summary>Both maps behind one reference, made by the first monitor or link: a process that has neither pays 8 bytes, not 16.</summary>
    private sealed class Watching
    {
        public Dictionary<Pid, Process?>? Monitoring;
        public Dictionary<Pid, Process?>? Links;
    }

    public Process(Host host, Pid pid, ProcessDefinition definition, object?[] args)
    {
        Host = host;
        _id = pid.Id;
        _definition = definition;
        _args = args;
        _scheduler = definition.SchedulerFor(host, pid);
        _spawnedAt = host.Node.SecondsSinceStart();
    }

    /// <summary>Made on demand from the id: the node and host names are the host's, so no process stores them.</summary>
    public Pid Pid => Pid.Trusted(Host.PidOrigin, _id);
    public ulong Id => _id;
    public Host Host { get; }
    public Node Node => Host.Node;
    public string EntryId => _definition.Id;
    public IReadOnlyList<object?> Args => _args;
    public ProcessContext Context => new(this);

    /// <summary>
    /// A logger whose every entry carries this process's PID (ProcessContext.Logger): kept in the loop-only state once
    /// the loop asks for it (few processes log, so the process itself has no field for it); made anew off the loop.
    /// </summary>
    public ILogger Logger => IsOnLoop ? RareState.Logger ??= NewLogger() : NewLogger();

    private ProcessLogger NewLogger() =>
        new(Node.LoggerFactory.CreateLogger(EntryId.Length > 0 ? EntryId : "wisp.process"), Pid);

    public bool IsOnLoop => _loopThread == Environment.CurrentManagedThreadId;
    public bool IsExited => _exited;
    public bool TrapLinks { get; set; }

    /// <summary>Undelivered items, for the host's mailbox limit. Read from other threads: an estimate.</summary>
    public int PendingCount => Volatile.Read(ref _pending);

    /// <summary>
    /// A message was handed to the process's code (a receive, a select): it no longer counts against the mailbox
    /// limit, and a traced one starts the receive activity of this slice (MessageTracing).
    /// </summary>
    public void MessageTaken(Message message)
    {
        if (Host.Options.MailboxLimit is not null) Interlocked.Decrement(ref _pending);
        if (message.IsTraced) MessageTracing.Taken(this, message);
    }

    /// <summary>The process's code sent a message. Loop only.</summary>
    public void MessageSent() => _messagesOut++;

    /// <summary>What runs the process, the tag of its metrics (ProcessDefinition.Kind).</summary>
    public string Kind => _definition.Kind;

    // Read by NodeMetrics from another thread: a count a little behind the loop's is fine.
    public long MessagesIn => (long)(Volatile.Read(ref _arrivals) - (_rare?.EventsRouted ?? 0));
    public long MessagesOut => _messagesOut;
    public long SelectWaits => _rare?.SelectWaits ?? 0;
    public int MailboxDepth => _mailbox.Count + (_inbox?.BacklogCount ?? 0) + (_rare?.HeldMessages?.Count ?? 0);

    /// <summary>A select of this process found no case ready and parked. Loop only.</summary>
    public void SelectParked() => RareState.SelectWaits++;

    /// <summary>The receive activity of the traced message the code took in this slice, if any (MessageTracing). Loop only.</summary>
    public System.Diagnostics.Activity? TraceActivity
    {
        get => _rare?.TraceActivity;
        set
        {
            if (value is not null || _rare is not null) RareState.TraceActivity = value;
        }
    }

    /// <summary>
    /// Appends a message within the host's mailbox limit (only messages count: events, timer firings and posted
    /// continuations never make a send fail). The place is taken first, with one atomic add, and given back when it
    /// is past the limit, so concurrent senders cannot pass the limit between a check and a post.
    /// </summary>
    public MessagePost PostMessage(Message message, Process? sender)
    {
        int? limit = Host.Options.MailboxLimit;
        if (limit is not null && Interlocked.Increment(ref _pending) > limit)
        {
            Interlocked.Decrement(ref _pending);
            return MessagePost.Full;
        }
        if (Post(message, sender)) return MessagePost.Posted;
        if (limit is not null) Interlocked.Decrement(ref _pending);
        return MessagePost.Exited;
    }

    /// <summary>
    /// Queues the process for its first slice, once the spawner has set up its topology. A message posted
    /// since it became visible may have queued it already: the flag decides who queues it, exactly once.
    /// A child spawned by a process's code runs next on the spawner's worker (a spawned tree is walked depth
    /// first), within the chain bound, unless messages wait in the spawner's inbox: then it is a server spawning a
    /// handler per request, and its children queue in turn, so that none waits under the newer ones (a worker runs
    /// its own newest first). Others queue in turn.
    /// </summary>
    public void Start(Process? spawner)
    {
        if (!_mailbox.Claim()) return;
        if (spawner is null || spawner.HasBacklog || !spawner.RunNext(this)) Queue();
    }

    /// <summary>Messages wait in this process's inbox for its code (events do not count: an EXIT is no request). Loop only.</summary>
    private bool HasBacklog => (_inbox?.BacklogCount ?? 0) > 0;

    /// <summary>
    /// Appends an item to the mailbox and schedules the loop; false when the process has exited.
    /// <paramref name="waker"/>: the process whose code posts it, if any, which may hand this one off (see HandOff).
    /// </summary>
    public bool Post(object item, Process? waker = null)
    {
        if (_exited) return false;
        switch (_mailbox.Enqueue(item))
        {
            case Enqueued.Closed:
                return false;
            case Enqueued.Woke when waker is null || !waker.HandOff(this):
                Queue();
                break;
        }
        return true;
    }

    /// <summary>Queues this process behind the waiting ones; its hand-off chain starts again. By the flag's owner.</summary>
    private void Queue()
    {
        _chain = 0;
        _scheduler.Schedule(this);
    }

    /// <summary>
    /// The first process a slice wakes (on the same scheduler) runs next on this worker (Go's runnext): a request's
    /// receiver, then its reply's, stay on one core while hot. Later wake-ups of the slice queue in turn, so a
    /// process that wakes many (a publisher) does not stack them newest first. Loop only; false when this slice
    /// has handed off already.
    /// </summary>
    private bool HandOff(Process woken)
    {
        if (_handedOff || !RunNext(woken)) return false;
        _handedOff = true;
        return true;
    }

    /// <summary>
    /// Puts <paramref name="next"/> (woken or spawned by this slice; its flag owned by the caller) on this
    /// worker's own queue, unless the chain of such runs that led here is <see cref="MaxChain"/> long and other
    /// work waits: a worker pops its own queue before the shared one, so an endless chain (two processes in
    /// ping-pong) would keep timers and outside sends waiting until the pool added a thread (1.5 s, measured).
    /// Breaking the chain sends the next process through the shared queue, behind them. When nothing waits at the
    /// bound, the chain goes on and is counted again from 0: breaking it would only move the pair to another core
    /// for nobody's sake (a microsecond of a window-1 round trip). Loop only.
    /// </summary>
    private bool RunNext(Process next)
    {
        if (!IsOnLoop || next._scheduler != _scheduler) return false;
        if (_chain < MaxChain) next._chain = (byte)(_chain + 1);
        else if (_scheduler.HasWaitingWork) return false;
        else next._chain = 0;
        _scheduler.ScheduleNext(next);
        return true;
    }

    /// <summary>Runs <paramref name="action"/> on the loop (from any thread); dropped if the process has exited.</summary>
    public bool PostAction(Action<object?> action, object? state) => Post(new LoopAction(action, state));

    /// <summary>
    /// Puts the continuation of a completed wait on the run queue: a completion runs on the loop (Resumption), so no
    /// thread check is needed on this path, the one every wake-up of a parked receive takes.
    /// </summary>
    public void Resume(Action<object?> continuation, object? state)
    {
        Debug.Assert(IsOnLoop, "a wait completes on its process's loop");
        if (!_exited) _run.Enqueue(continuation, state);
    }

    /// <summary>Puts a coroutine that awaits on the run queue, or posts it there from another thread.</summary>
    public void Wake(Action<object?> continuation, object? state)
    {
        if (_exited) return;
        if (IsOnLoop || !_started) _run.Enqueue(continuation, state);
        else PostAction(continuation, state);   // awaited off the loop (after ConfigureAwait(false)): back to the loop
    }

    public void Execute()
    {
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(this);
        _loopThread = Environment.CurrentManagedThreadId;
        _handedOff = false;
        bool moreWork = false;
        try
        {
            moreWork = RunSlice();
        }
        catch (Exception e)
        {
            Fail(ProcessError.From(e));   // a fault outside user code (user code's are caught in RunReady): end this process, not the OS process
        }
        finally
        {
            if (_rare?.TraceActivity is not null) MessageTracing.End(this, null);
            _loopThread = 0;
            SynchronizationContext.SetSynchronizationContext(previous);
        }
        if (!_exited && (moreWork || !_mailbox.TryPark())) Queue();   // still scheduled: run again
    }

    /// <summary>
    /// Runs rounds of (route the mailbox, run woken coroutines); true if work is left for the next slice. A
    /// coroutine that yielded its slice (<see cref="YieldSlice"/>) ends the slice after its round and resumes
    /// first in the next one.
    /// </summary>
    private bool RunSlice()
    {
        if (!_started) StartMain();
        else ResumeYielded();
        for (int round = 0; round < MaxRoundsPerSlice; round++)
        {
            if (_exited) return false;
            DrainMailbox();
            if (_run.IsEmpty) return HasYielded;
            RunReady();
            if (HasYielded) return true;
        }
        return !_exited && !_run.IsEmpty;
    }

    private bool HasYielded => !_exited && _rare?.Yielded is { Count: > 0 };

    private void RunReady()
    {
        for (int i = 0; i < MaxContinuationsPerRound && !_exited && _run.TryDequeue(out var action, out var state); i++)
        {
            try
            {
                action(state);
            }
            catch (Exception e)
            {
                Fail(ProcessError.From(e));
            }
        }
    }

    public override string ToString() => Pid.ToString();

    private Rare RareState => _rare ??= new Rare();

    /// <summary>The request context the process was spawned with (its spawner's, or a caller's); set before it starts.</summary>
    public IReadOnlyDictionary<string, object?>? Values
    {
        get => _rare?.Values;
        set
        {
            if (value is not null) RareState.Values = value;
        }
    }

    /// <summary>
    /// Loop-only state that most processes never need (an idle process has none of it): one reference in the
    /// process instead of several. Made on first use, kept until the process ends.
    /// </summary>
    private sealed class Rare
    {
        public Dictionary<string, Channel<Message>>? Listeners;
        public Queue<(ulong Sequence, Message Message)>? HeldMessages;   // messages that came before any inbox/listener
        public Queue<(ulong Sequence, ProcessEvent Event)>? HeldEvents;  // events that came before the events channel
        public HashSet<ProcessTimer>? Timers;
        public SelectOp? SpareSelect;
        public List<Completion>? Yielded;                                // coroutines that resume in the next slice
        public List<Action<ExitResult>>? ExitHooks;
        public IReadOnlyDictionary<string, object?>? Values;                // the request context it was spawned with
        public int Coroutines;                                           // started and not finished (ProcessInfo)
        public long SelectWaits;                                         // selects that parked (NodeMetrics)
        public ulong EventsRouted;                                       // events among the arrivals (MessagesIn)
        public System.Diagnostics.Activity? TraceActivity;               // the receive activity of this slice (MessageTracing)
        public ILogger? Logger;                                          // made on the loop's first ask (Process.Logger)
    }

    /// <summary>Work for the loop posted from another thread (a timer, an awaited Task's continuation).</summary>
    private sealed record LoopAction(Action<object?> Action, object? State);
}

/// <summary>The mailbox item that forces a process to end ("process terminated").</summary>
internal sealed class TerminateSignal
{
    private TerminateSignal() { }
    public static TerminateSignal Instance { get; } = new();
}

/// <summary>What became of a message posted to a process.</summary>
internal enum MessagePost { Posted, Full, Exited }
