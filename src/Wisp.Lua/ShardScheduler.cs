using System.Collections.Concurrent;

namespace Wisp.Lua;

/// <summary>
/// Runs the slices of the processes of one shard (they share a Lua state), one at a time, as one work item of the
/// host's scheduler: a shard is an event loop of event loops. A process of the shard is queued here by its
/// mailbox (Schedule) or, spawned or woken by another process of the same shard, run next (ScheduleNext).
///
/// Invariants:
/// - at most one thread runs the shard's items at a time: <see cref="_state"/> goes idle → queued only by the
///   one caller whose compare-and-swap wins, which queues the shard; only the runner sets it back to idle, and it
///   then re-checks the queue, with a full fence between, so an item queued meanwhile is never stranded;
/// - <see cref="_next"/> is touched only by the runner (a process of this shard running here hands off to another
///   one of it);
/// - a run does at most <see cref="MaxItemsPerRun"/> items, then the shard queues behind the host's other work;
/// - once closed (<see cref="TryClose"/>), the shard never runs again: its state can be freed;
/// - <see cref="Load"/> counts the items queued here and not yet run, and the running one (an estimate others
///   read to place a new process on the least busy shard).
/// </summary>
internal sealed class ShardScheduler(IWorkScheduler host) : IWorkScheduler, IThreadPoolWorkItem
{
    private const int MaxItemsPerRun = 64;
    private const int Idle = 0, Queued = 1, Closed = 2;

    private readonly ConcurrentQueue<IThreadPoolWorkItem> _queue = new();
    private IThreadPoolWorkItem? _next;
    private int _state;
    private int _runner;
    private int _load;

    /// <summary>Items queued and not yet run, and the one running (read from any thread: an estimate).</summary>
    public int Load => Volatile.Read(ref _load) + (Volatile.Read(ref _runner) != 0 ? 1 : 0);

    /// <summary>True on the thread running the shard (the only one that may touch its Lua state).</summary>
    public bool IsRunningHere => Volatile.Read(ref _runner) == Environment.CurrentManagedThreadId;

    public void Schedule(IThreadPoolWorkItem work)
    {
        Interlocked.Increment(ref _load);
        _queue.Enqueue(work);
        Wake();
    }

    public void ScheduleNext(IThreadPoolWorkItem work)
    {
        if (!IsRunningHere)
        {
            Schedule(work);
            return;
        }
        Interlocked.Increment(ref _load);
        if (_next is { } displaced) _queue.Enqueue(displaced);   // as Go's runnext: the newest runs next
        _next = work;
    }

    private void Wake()
    {
        if (Interlocked.CompareExchange(ref _state, Queued, Idle) == Idle) host.Schedule(this);
    }

    public void Execute()
    {
        Volatile.Write(ref _runner, Environment.CurrentManagedThreadId);
        try
        {
            for (int i = 0; i < MaxItemsPerRun; i++)
            {
                var item = _next;
                _next = null;
                if (item is null && !_queue.TryDequeue(out item)) break;
                Interlocked.Decrement(ref _load);
                item.Execute();
            }
        }
        finally
        {
            Volatile.Write(ref _runner, 0);
        }
        if (_next is { } pending)
        {
            _next = null;
            _queue.Enqueue(pending);
        }
        if (!_queue.IsEmpty)
        {
            host.Schedule(this);   // still queued: more work, behind the host's other work
            return;
        }
        // A full fence between the store and the re-check (Interlocked, not Volatile.Write): otherwise the re-check's
        // load may pass the store (x86 reorders a store with a later load), read the queue empty while a concurrent
        // Schedule, its item queued, still sees Queued and does not wake the shard: an item stranded, its process hung.
        Interlocked.Exchange(ref _state, Idle);
        if (!_queue.IsEmpty) Wake();
    }

    /// <summary>
    /// Takes the shard for good if it is idle and has nothing queued (every process of it has ended), so that its
    /// state can be closed; false if it is busy.
    /// </summary>
    public bool TryClose()
    {
        if (Interlocked.CompareExchange(ref _state, Closed, Idle) != Idle) return false;
        return true;
    }

    public bool IsClosed => Volatile.Read(ref _state) == Closed;
}
