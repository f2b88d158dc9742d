using System.Collections.Concurrent;

namespace Wisp;

/// <summary>
/// Wisp's own workers: a thread per core running process slices, woken the way Go's runtime wakes its Ps. The .NET
/// thread pool wakes a parked thread for nearly every item queued, and the woken thread steals the item its waker was
/// about to run, so a request that crosses three processes would cross cores up to three times, each a futex wake
/// (docs/benchmarks.md has the figures). Here a chain of hand-offs stays on one worker, and a second worker is woken
/// only when there is work for it.
///
/// Queues: each worker has its own <see cref="WorkerStack"/> (runs next: the newest first; others steal the oldest half),
/// and one shared FIFO takes everything queued in turn (wake-ups from outside, timers, a slice's later wake-ups).
/// A worker takes from its stack, then the shared queue (the shared queue first every <see cref="FairnessPeriod"/>
/// items, so a deep stack never starves it), then steals; with nothing found it spins a while, then parks.
///
/// Waking:
/// - an item queued from outside the workers wakes a parked worker, unless one is spinning (it will find the item);
/// - an item queued by a worker wakes nobody: that worker takes it after its slice, or a helper does once
///   <see cref="WakeBacklog"/> items wait behind the one a worker takes (then the work is worth a second core);
/// - a stealer leaves a victim's only item alone until the victim has not moved on for one spin round: a slice's
///   hand-off is meant for its own worker, the moment the slice ends;
/// - the monitor ticks every millisecond until every worker is parked with nothing queued: when items wait behind a
///   slice that has not ended since the last tick, or with no worker running, it wakes a worker (a long slice holds
///   nothing up for longer than a tick or two, and a wake-up lost to a bug here would cost a tick, not a hang); when
///   every worker has run one item for <see cref="StuckTicks"/> ticks (code that blocks its thread), it hands the
///   waiting items to the .NET thread pool, which adds threads for blocked ones.
/// Threads start when work first needs them and retire after ten seconds parked.
///
/// Invariants:
/// - no lost wake-up: a worker registers as parked (under <see cref="_idleLock"/>) before its last look at every
///   queue, and a waker reads the parked count after queueing its item; both are full fences, so one of the two sees
///   the other. A spinner likewise clears <see cref="_spinning"/> (a full fence) before its last look;
/// - a parked worker's semaphore counts the releases, so a release that comes before its wait is not lost, and a
///   worker unregisters itself or consumes the release it was given;
/// - an item is in exactly one queue until one worker takes it; the items of a steal of half, between the victim's lock
///   and the thief's, are held by the thief alone (its Stolen buffer), which pushes them before it looks for a helper;
/// - the monitor is armed while a worker runs an item: a worker arms it at an item's start if it was stopped, and it
///   stops only with every worker parked, under <see cref="_idleLock"/>, so a worker woken after that sees it stopped.
/// Lock order: <see cref="_idleLock"/> alone; a stack's spin lock is a leaf, never held across a call.
/// </summary>
public sealed class WorkerPool : IWorkScheduler
{
    private const int WakeBacklog = 2;
    private const int FairnessPeriod = 61;
    private const int SpinRounds = 64;
    private const int StuckTicks = 100;

    private static readonly Lazy<WorkerPool> s_shared = new(() => new WorkerPool(Environment.ProcessorCount));

    private readonly Worker[] _workers;
    private readonly ConcurrentQueue<IThreadPoolWorkItem> _shared = new();
    private readonly ThreadLocal<Worker?> _current = new();
    private readonly object _idleLock = new();
    private readonly List<Worker> _parked = [];
    private readonly Timer _monitor;
    private readonly TimeSpan _retireAfter;
    private int _parkedCount;      // _parked.Count, readable without the lock
    private int _vacant;           // workers without a thread (never started, or retired); under _idleLock
    private int _spinning;         // 1 while a worker spins looking for work
    private int _monitorArmed;
    private int _stuckFor;         // monitor ticks in a row with every worker inside one item

    /// <summary>The pool every node uses unless its options name another: one per OS process, as the thread pool is.</summary>
    public static WorkerPool Shared => s_shared.Value;

    public WorkerPool(int workers) : this(workers, TimeSpan.FromSeconds(10))
    {
    }

    /// <summary>A pool whose parked threads retire after <paramref name="retireAfter"/> (tests: a short one).</summary>
    internal WorkerPool(int workers, TimeSpan retireAfter)
    {
        if (workers <= 0) throw new WispException(ErrorKind.Invalid, $"workers must be > 0, got {workers}");
        _retireAfter = retireAfter;
        _workers = new Worker[workers];
        for (int i = 0; i < workers; i++) _workers[i] = new Worker(i, workers);
        _vacant = workers;
        _monitor = new Timer(static s => ((WorkerPool)s!).Tick(), this, Timeout.Infinite, Timeout.Infinite);
    }

    public int WorkerCount => _workers.Length;

    /// <summary>Workers that have a thread now (started and not retired).</summary>
    internal int LiveThreads
    {
        get
        {
            lock (_idleLock) return _workers.Length - _vacant;
        }
    }

    public void Schedule(IThreadPoolWorkItem work)
    {
        _shared.Enqueue(work);
        if (Current is null) Wake();
    }

    public void ScheduleNext(IThreadPoolWorkItem work)
    {
        if (Current is { } worker) worker.Stack.Push(work);
        else Schedule(work);
    }

    public bool HasWaitingWork => !_shared.IsEmpty || Current?.Stack.Count > 0;

    private Worker? Current => _current.Value;

    /// <summary>Wakes a parked worker, or starts one, unless a worker is spinning (it finds the work itself).</summary>
    private void Wake()
    {
        if (Volatile.Read(ref _spinning) != 0) return;
        if (Volatile.Read(ref _parkedCount) == 0 && Volatile.Read(ref _vacant) == 0) return;
        Worker? woken = null, started = null;
        lock (_idleLock)
        {
            if (_parked.Count > 0)
            {
                woken = _parked[^1];
                _parked.RemoveAt(_parked.Count - 1);
                _parkedCount = _parked.Count;
            }
            else if (_vacant > 0)
            {
                started = Array.Find(_workers, w => !w.HasThread)!;
                started.HasThread = true;
                _vacant--;
            }
        }
        woken?.Signal.Release();
        if (started is not null) Start(started);
    }

    private void Start(Worker worker)
    {
        var thread = new Thread(() => Run(worker)) { IsBackground = true, Name = $"Wisp worker {worker.Index}" };
        thread.UnsafeStart();
        ArmMonitor();
    }

    private void Run(Worker worker)
    {
        _current.Value = worker;
        while (true)
        {
            var item = Take(worker) ?? Search(worker);
            if (item is null)
            {
                if (!Park(worker)) return;
                continue;
            }
            worker.Running = true;
            if (Volatile.Read(ref _monitorArmed) == 0) ArmMonitor();
            item.Execute();
            worker.Running = false;
            Volatile.Write(ref worker.Items, worker.Items + 1);
        }
    }

    /// <summary>The worker's next item from its stack or the shared queue, waking a helper if a backlog remains.</summary>
    private IThreadPoolWorkItem? Take(Worker worker)
    {
        IThreadPoolWorkItem? item = null;
        if (++worker.Picks % FairnessPeriod == 0) _shared.TryDequeue(out item);
        item ??= worker.Stack.PopNewest();
        if (item is null && !_shared.TryDequeue(out item)) return null;
        if (worker.Stack.Count + (_shared.IsEmpty ? 0 : 1) >= WakeBacklog) Wake();
        return item;
    }

    /// <summary>Spins (one worker at a time) over the shared queue and the other workers' stacks; null when none had work.</summary>
    private IThreadPoolWorkItem? Search(Worker worker)
    {
        if (Interlocked.CompareExchange(ref _spinning, 1, 0) != 0) return null;
        IThreadPoolWorkItem? found = null;
        for (int round = 0; round < SpinRounds && found is null; round++)
        {
            found = _shared.TryDequeue(out var item) ? item : Steal(worker, patient: round > 0);
            if (found is null) Thread.SpinWait(30);
        }
        Interlocked.Exchange(ref _spinning, 0);
        found ??= _shared.TryDequeue(out var last) ? last : null;
        if (found is not null && (_shared.IsEmpty ? 0 : 1) + MaxStack() >= WakeBacklog) Wake();
        return found;
    }

    /// <summary>
    /// The oldest half of another worker's stack, the oldest to run now and the rest onto the thief's own stack. A
    /// victim's only item is taken only if the victim has not finished an item since the last round looked
    /// (<paramref name="patient"/>): until then it is the hand-off its slice just made.
    /// </summary>
    private IThreadPoolWorkItem? Steal(Worker thief, bool patient)
    {
        for (int i = 1; i < _workers.Length; i++)
        {
            var victim = _workers[(thief.Index + i) % _workers.Length];
            int count = victim.Stack.Count;
            long items = Volatile.Read(ref victim.Items);
            bool seen = thief.SeenItems[victim.Index] == items;
            thief.SeenItems[victim.Index] = items;
            if (count >= 2 || (count == 1 && patient && seen))
                if (victim.Stack.StealHalf(thief.Stack, thief.Stolen) is { } item) return item;
        }
        return null;
    }

    private int MaxStack()
    {
        int max = 0;
        foreach (var w in _workers) max = Math.Max(max, w.Stack.Count);
        return max;
    }

    private bool AnyWork() => !_shared.IsEmpty || MaxStack() > 0;

    /// <summary>Parks the worker until woken; false when it retired (parked <see cref="_retireAfter"/> with nothing to do).</summary>
    private bool Park(Worker worker)
    {
        lock (_idleLock)
        {
            _parked.Add(worker);
            _parkedCount = _parked.Count;
        }
        if (!_shared.IsEmpty)   // a worker's own stack is empty when it parks, and only its owner fills it
        {
            if (!Unpark(worker)) worker.Signal.Wait();   // woken meanwhile: take the release
            return true;
        }
        if (worker.Signal.Wait(_retireAfter)) return true;
        lock (_idleLock)
        {
            if (_parked.Remove(worker))
            {
                _parkedCount = _parked.Count;
                worker.HasThread = false;
                _vacant++;
                return false;
            }
        }
        worker.Signal.Wait();   // woken as the wait timed out
        return true;
    }

    /// <summary>
    /// Stops the monitor if every worker with a thread is parked. A worker sets <see cref="Worker.Running"/> and then
    /// reads <see cref="_monitorArmed"/> with no fence between, so "none running" alone could disarm the monitor just
    /// as a worker starts an item and misses the disarm; a parked worker is instead woken under the idle lock, after
    /// this disarm, and so sees it and arms the monitor again.
    /// </summary>
    private bool TryDisarmAllParked()
    {
        lock (_idleLock)
        {
            if (_parked.Count != _workers.Length - _vacant) return false;
            Volatile.Write(ref _monitorArmed, 0);
            return true;
        }
    }

    private bool Unpark(Worker worker)
    {
        lock (_idleLock)
        {
            if (!_parked.Remove(worker)) return false;
            _parkedCount = _parked.Count;
            return true;
        }
    }

    private void ArmMonitor()
    {
        if (Interlocked.Exchange(ref _monitorArmed, 1) == 0) _monitor.Change(1, Timeout.Infinite);
    }

    /// <summary>
    /// The monitor's tick (a one-shot timer on the .NET thread pool, armed again at the end, so ticks never overlap and
    /// the monitor's fields need no lock): see the class summary.
    /// </summary>
    private void Tick()
    {
        bool anyRunning = false, allStuck = true, anyStuck = false;
        foreach (var w in _workers)
        {
            long items = Volatile.Read(ref w.Items);
            bool running = w.Running;
            bool stuck = running && items == w.MonitorSeen;
            w.MonitorSeen = items;
            anyRunning |= running;
            anyStuck |= stuck;
            allStuck &= stuck;
        }
        if (!anyRunning && !AnyWork() && TryDisarmAllParked())
        {
            if (AnyWork()) ArmMonitor();   // queued as the monitor stopped
            return;
        }
        if ((anyStuck || !anyRunning) && AnyWork()) Wake();
        _stuckFor = allStuck ? _stuckFor + 1 : 0;
        if (_stuckFor >= StuckTicks)
        {
            while (_shared.TryDequeue(out var item)) ThreadPool.UnsafeQueueUserWorkItem(item, preferLocal: false);
            foreach (var w in _workers)
                while (w.Stack.StealOldest() is { } item) ThreadPool.UnsafeQueueUserWorkItem(item, preferLocal: false);
        }
        _monitor.Change(1, Timeout.Infinite);
    }

    private sealed class Worker(int index, int workers)
    {
        public readonly int Index = index;
        public readonly WorkerStack Stack = new();
        public readonly SemaphoreSlim Signal = new(0);
        public readonly long[] SeenItems = new long[workers];   // each victim's item count at this worker's last look
        public readonly IThreadPoolWorkItem?[] Stolen = new IThreadPoolWorkItem?[128];   // a steal's items on their way (Steal)
        public long Items;          // items this worker has finished (read by stealers and the monitor)
        public volatile bool Running;
        public long MonitorSeen;    // the monitor's last look at Items
        public int Picks;
        public bool HasThread;      // under the pool's idle lock
    }
}
