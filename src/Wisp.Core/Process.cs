using System.Diagnostics;

namespace Wisp;

/// <summary>
/// A process: a single-threaded event loop run on a host's scheduler, one slice at a time.
///
/// Invariants:
/// - at most one thread runs the loop at a time: the mailbox's scheduled flag is set from the moment the
///   process is queued until a slice ends with nothing left to do, and only the caller that sets it queues the
///   process (and may set its <see cref="_chain"/>, which nobody else touches until the slice runs); flag and
///   items change under the mailbox's lock, so a post during a slice is either seen by that slice's end
///   (<see cref="Mailbox.TryPark"/> keeps the flag, the loop runs again) or finds the flag clear and queues it;
/// - where it is queued: behind the others (a wake-up from outside, a timer, a slice that ran out of rounds), or
///   next on the waker's worker (a child spawned by a slice, the first process a slice wakes), at most
///   <see cref="MaxChain"/> times in a row, so the shared queue is never starved;
/// - other threads never touch loop state; they only append to the <see cref="Mailbox"/> and queue the
///   process (<see cref="Post"/>);
/// - the main function and every coroutine run on the loop, one at a time, so they share state without locks;
///   their awaits complete on the loop (Completion, SelectOp) or are posted back to it (the process's
///   SynchronizationContext), never elsewhere;
/// - mailbox items are routed in arrival order: a message goes to the listen channel of its topic, else to
///   the inbox, else waits (held) until one exists; nothing is dropped while the process lives;
/// - once exited, the process runs no more user code, its topology is cleared, and posts are refused (a post
///   that passed the check just as the process exited leaves an item nobody reads; the scheduled flag stays
///   set, so nothing queues the process again);
/// - only the loop ends its process (<see cref="Exit"/> refuses other threads).
/// Locking: the process object's monitor guards its topology fields (monitors, links, names, the exit result);
/// it is taken one process at a time, never nested, so there is no lock order to respect. The exited flag is
/// volatile: set by the loop, read anywhere.
/// </summary>
internal sealed class Process : IThreadPoolWorkItem
{
    private const int MaxRoundsPerSlice = 64;
    private const int MaxContinuationsPerRound = 1024;
    private const int MaxChain = 32;

    private readonly ProcessDefinition _definition;
    private readonly object?[] _args;
    private Mailbox _mailbox = new();   // a mutable struct: always used in place
    private int _loopThread;
    private bool _handedOff;    // this slice has woken a process onto its worker (HandOff)
    private byte _chain;        // how many runs-next in a row led to this slice (RunNext)
    private RunQueue _run;
    private ProcessSynchronizationContext? _syncContext;
    private bool _started;
    private ulong _arrivals;
    private Channel<Message>? _inbox;
    private Channel<ProcessEvent>? _events;
    private Rare? _rare;
    private readonly ulong _id;
    private ProcessContext? _context;
    private Task<object?>? _main;
    private int _pending;       // messages posted and not yet taken by the process (counted on hosts with a mailbox limit)
    private volatile bool _exited;

    // Topology, guarded by lock (this); see Topology.cs and Registry.cs.
    internal List<Process>? Monitors;      // who gets EXIT when this process ends
    internal Dictionary<Pid, Process>? Monitoring;   // whom this process monitors; a relay may watch thousands
    internal Dictionary<Pid, Process>? Links;
    internal ProcessNames Names;
    /// <summary>Before the exit, the waiter of <see cref="Node.WhenExited"/> if any; after it, the <see cref="ExitResult"/>.</summary>
    internal object? ExitState;

    public Process(Host host, Pid pid, ProcessDefinition definition, object?[] args)
    {
        Host = host;
        _id = pid.Id;
        _definition = definition;
        _args = args;
    }

    /// <summary>Made on demand from the id: the node and host names are the host's, and 16 B per process less.</summary>
    public Pid Pid => new(Host.Node.Name, Host.Id, _id);
    public ulong Id => _id;
    public Host Host { get; }
    public Node Node => Host.Node;
    public string EntryId => _definition.Id;
    public IReadOnlyList<object?> Args => _args;
    public ProcessContext Context => _context ??= new ProcessContext(this);
    public bool IsOnLoop => _loopThread == Environment.CurrentManagedThreadId;
    public bool IsExited => _exited;
    public bool TrapLinks { get; set; }

    /// <summary>Undelivered items, for the host's mailbox limit. Read from other threads: an estimate.</summary>
    public int PendingCount => Volatile.Read(ref _pending);

    /// <summary>A message was handed to the process's code (a receive, a select): it no longer counts.</summary>
    public void MessageTaken()
    {
        if (Host.Options.MailboxLimit is not null) Interlocked.Decrement(ref _pending);
    }

    /// <summary>
    /// Appends a message, counted for the host's mailbox limit (only messages count: events, timer firings and
    /// posted continuations never make a send fail); false when the process has exited.
    /// </summary>
    public bool PostMessage(Message message, Process? sender)
    {
        if (Host.Options.MailboxLimit is not null) Interlocked.Increment(ref _pending);
        return Post(message, sender);
    }

    /// <summary>
    /// Queues the process for its first slice, once the spawner has set up its topology. A message posted
    /// since it became visible may have queued it already: the flag decides who queues it, exactly once.
    /// A child spawned by a process's code runs next on the spawner's worker (a spawned tree is walked depth
    /// first), within the chain bound; others queue in turn.
    /// </summary>
    public void Start(Process? spawner)
    {
        if (!_mailbox.Claim()) return;
        if (spawner is null || !spawner.RunNext(this)) Queue();
    }

    /// <summary>
    /// Appends an item to the mailbox and schedules the loop; false when the process has exited.
    /// <paramref name="waker"/>: the process whose code posts it, if any, which may hand this one off (see HandOff).
    /// </summary>
    public bool Post(object item, Process? waker = null)
    {
        if (_exited) return false;
        if (_mailbox.Enqueue(item) && (waker is null || !waker.HandOff(this))) Queue();
        return true;
    }

    /// <summary>Queues this process behind the waiting ones; its hand-off chain starts again. By the flag's owner.</summary>
    private void Queue()
    {
        _chain = 0;
        Host.Scheduler.Schedule(this);
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
    /// worker's own queue, unless the chain of such runs that led here is <see cref="MaxChain"/> long: a worker
    /// pops its own queue before the shared one, so an endless chain (two processes in ping-pong) would keep
    /// timers and outside sends waiting until the pool added a thread (1.5 s, measured). Breaking the chain
    /// sends the next process through the shared queue, behind them. Loop only.
    /// </summary>
    private bool RunNext(Process next)
    {
        if (_chain >= MaxChain || !IsOnLoop || next.Host.Scheduler != Host.Scheduler) return false;
        next._chain = (byte)(_chain + 1);
        Host.Scheduler.ScheduleNext(next);
        return true;
    }

    /// <summary>Runs <paramref name="action"/> on the loop (from any thread); dropped if the process has exited.</summary>
    public bool PostAction(Action<object?> action, object? state) => Post(new LoopAction(action, state));

    /// <summary>Puts a woken coroutine on the run queue. Loop only.</summary>
    public void Wake(Action<object?> continuation, object? state)
    {
        if (_exited) return;
        if (IsOnLoop || !_started) _run.Enqueue(continuation, state);
        else PostAction(continuation, state);   // awaited off the loop (after ConfigureAwait(false)): back to the loop
    }

    public void Execute()
    {
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(_syncContext ??= new ProcessSynchronizationContext(this));
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
            _loopThread = 0;
            SynchronizationContext.SetSynchronizationContext(previous);
        }
        if (!_exited && (moreWork || !_mailbox.TryPark())) Queue();   // still scheduled: run again
    }

    /// <summary>Runs rounds of (route the mailbox, run woken coroutines); true if work is left for the next slice.</summary>
    private bool RunSlice()
    {
        if (!_started) StartMain();
        for (int round = 0; round < MaxRoundsPerSlice; round++)
        {
            if (_exited) return false;
            DrainMailbox();
            if (_run.IsEmpty) return false;
            RunReady();
        }
        return !_exited && !_run.IsEmpty;
    }

    private void StartMain()
    {
        _started = true;
        Task<object?> main;
        try
        {
            main = _definition.Run(Context, _args);
        }
        catch (Exception e)
        {
            Fail(ProcessError.From(e));
            return;
        }
        Observe(main, isMain: true);
    }

    /// <summary>Starts a coroutine: it runs now, until its first wait, before the spawner resumes.</summary>
    public void Go(Func<Task> coroutine)
    {
        Task task;
        try
        {
            task = coroutine();
        }
        catch (Exception e)
        {
            Fail(ProcessError.From(e));
            throw new ProcessExitedException(Pid);
        }
        Observe(task, isMain: false);
    }

    private void Observe(Task task, bool isMain)
    {
        if (task.IsCompleted) Finished(task, isMain);
        else if (isMain)
        {
            _main = (Task<object?>)task;
            task.GetAwaiter().UnsafeOnCompleted(MainFinished);   // resumes on this loop (sync context); no closure
        }
        else task.GetAwaiter().UnsafeOnCompleted(() => Finished(task, isMain: false));
    }

    private void MainFinished() => Finished(_main!, isMain: true);

    private void Finished(Task task, bool isMain)
    {
        if (_exited) return;
        if (task.IsFaulted)
        {
            var error = task.Exception!.InnerExceptions.Count == 1 ? task.Exception.InnerException! : task.Exception;
            Fail(ProcessError.From(error));
        }
        else if (task.IsCanceled) Fail(new ProcessError("process canceled"));
        else if (isMain)
        {
            object? value = ((Task<object?>)task).Result;
            Exit(value is ProcessError error ? ExitResult.Failure(error) : ExitResult.Success(value));
        }
    }

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

    /// <summary>
    /// Routes what the mailbox held when the drain began; what arrives meanwhile waits for the next round,
    /// so a coroutine that keeps posting work (a Task.Yield loop) cannot hold the loop in one drain.
    /// </summary>
    private void DrainMailbox()
    {
        var items = _mailbox.TakeAll();
        for (int i = 0; i < items.Length && !_exited; i++)
        {
            var item = items[i];
            items[i] = null;
            switch (item)
            {
                case Message message:
                    Route(message, ++_arrivals);
                    break;
                case ProcessEvent processEvent:
                    Receive(processEvent);
                    break;
                case LoopAction loopAction:
                    _run.Enqueue(loopAction.Action, loopAction.State);   // behind coroutines already woken
                    break;
                case TerminateSignal:
                    Fail(new ProcessError("process terminated"));
                    break;
            }
        }
    }

    private void Route(Message message, ulong sequence)
    {
        if (_rare?.Listeners is { } listeners && listeners.TryGetValue(message.Topic, out var listener)) listener.Deliver(message, sequence);
        else if (_inbox is not null) _inbox.Deliver(message, sequence);
        else (RareState.HeldMessages ??= new()).Enqueue((sequence, message));
    }

    private void Receive(ProcessEvent processEvent)
    {
        if (processEvent.Kind != EventKind.Cancel && !Node.Topology.Consume(this, processEvent))
            return;   // unmonitored or unlinked since it was posted: as if it never came
        if (processEvent.Kind == EventKind.LinkDown && !TrapLinks)
            Fail(new ProcessError($"linked process failed: {processEvent.From}"));
        else RouteEvent(processEvent, ++_arrivals);
    }

    private void RouteEvent(ProcessEvent processEvent, ulong sequence)
    {
        if (_events is not null) _events.Deliver(processEvent, sequence);
        else (RareState.HeldEvents ??= new()).Enqueue((sequence, processEvent));
    }

    public Channel<Message> Inbox
    {
        get
        {
            if (_inbox is not null) return _inbox;
            _inbox = new Channel<Message>(this, 0, mailboxFed: true);
            RerouteHeld();
            return _inbox;
        }
    }

    public Channel<ProcessEvent> Events
    {
        get
        {
            if (_events is not null) return _events;
            _events = new Channel<ProcessEvent>(this, 0, mailboxFed: true);
            if (_rare?.HeldEvents is { } heldEvents)
            {
                _rare.HeldEvents = null;
                while (heldEvents.TryDequeue(out var held)) _events.Deliver(held.Event, held.Sequence);
            }
            return _events;
        }
    }

    public Channel<Message> Listen(string topic)
    {
        if (string.IsNullOrEmpty(topic)) throw new WispException(ErrorKind.Invalid, "topic cannot be empty");
        if (topic[0] == '@') throw new WispException(ErrorKind.Invalid, "cannot listen to @ topics");
        var listeners = RareState.Listeners ??= new Dictionary<string, Channel<Message>>(StringComparer.Ordinal);
        if (listeners.TryGetValue(topic, out var existing)) return existing;
        var channel = new Channel<Message>(this, 0, mailboxFed: true);
        listeners.Add(topic, channel);
        RerouteHeld();
        if (_inbox is not null)   // undelivered inbox messages of this topic now belong to the listener, as in the reference
            foreach (var (sequence, message) in _inbox.TakeBacklog()) Route(message, sequence);
        return channel;
    }

    private void RerouteHeld()
    {
        foreach (var (sequence, message) in TakeHeld()) Route(message, sequence);
    }

    private IReadOnlyList<(ulong Sequence, Message Message)> TakeHeld()
    {
        if (_rare?.HeldMessages is not { } held) return [];
        _rare.HeldMessages = null;
        return held.ToArray();
    }

    public bool Unlisten(Channel<Message> channel)
    {
        if (_rare?.Listeners is not { } listeners) return false;
        string? topic = null;
        foreach (var (key, value) in listeners)
        {
            if (value != channel) continue;
            topic = key;
            break;
        }
        if (topic is null) return false;
        listeners.Remove(topic);
        // Its undelivered messages rejoin the inbox's in arrival order, so per-sender order still holds.
        var orphans = channel.TakeBacklog();
        if (orphans.Count > 0)
        {
            var merged = (_inbox?.TakeBacklog() ?? TakeHeld()).Concat(orphans).OrderBy(m => m.Sequence).ToList();
            foreach (var (sequence, message) in merged) Route(message, sequence);
        }
        channel.CloseCore();
        return true;
    }

    public void Track(ProcessTimer timer) => (RareState.Timers ??= []).Add(timer);
    public void Untrack(ProcessTimer timer) => _rare?.Timers?.Remove(timer);

    /// <summary>A select kept for reuse by this loop's next select (SelectOp.Run); null while one is running.</summary>
    internal SelectOp? SpareSelect
    {
        get => _rare?.SpareSelect;
        set
        {
            if (value is not null || _rare is not null) RareState.SpareSelect = value;
        }
    }

    /// <summary>Ends the process with an error (uncaught exception, terminate, failed link).</summary>
    public void Fail(ProcessError error) => Exit(ExitResult.Failure(error));

    /// <summary>Ends the process: its coroutines are abandoned, its timers stopped, then the node notifies.</summary>
    public void Exit(ExitResult result)
    {
        // Only the loop may end its process (another thread asks: Terminate posts a signal). A wrong caller
        // would race the loop over its run queue and exit twice; fail it loudly instead.
        if (!IsOnLoop) throw new InvalidOperationException($"process {Pid} can only exit on its own loop");
        if (_exited) return;
        _exited = true;
        _run.Clear();
        _mailbox.Clear();
        if (_rare?.Timers is { } timers)
        {
            _rare.Timers = null;
            foreach (var timer in timers) timer.Dispose();
        }
        Node.Topology.OnExit(this, result);
    }

    public override string ToString() => Pid.ToString();

    private Rare RareState => _rare ??= new Rare();

    /// <summary>
    /// Loop-only state that most processes never need (an idle process has none of it): one reference in the
    /// process instead of five. Made on first use, kept until the process ends.
    /// </summary>
    private sealed class Rare
    {
        public Dictionary<string, Channel<Message>>? Listeners;
        public Queue<(ulong Sequence, Message Message)>? HeldMessages;   // messages that came before any inbox/listener
        public Queue<(ulong Sequence, ProcessEvent Event)>? HeldEvents;  // events that came before the events channel
        public HashSet<ProcessTimer>? Timers;
        public SelectOp? SpareSelect;
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
