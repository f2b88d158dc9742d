using System.Collections.Concurrent;

namespace Wisp;

/// <summary>Runs process slices. A host owns one; tests may give a deterministic one.</summary>
public interface IWorkScheduler
{
    /// <summary>Queues work to run in turn, behind what is already waiting (fairness).</summary>
    void Schedule(IThreadPoolWorkItem work);

    /// <summary>
    /// Queues work to run soon on the calling worker (locality): a process just spawned, or the one process a
    /// slice handed off to. Called from a process's loop; by default the same as <see cref="Schedule"/>.
    /// </summary>
    void ScheduleNext(IThreadPoolWorkItem work) => Schedule(work);

    /// <summary>
    /// Whether other work may be waiting for a worker now: a chain of hand-offs (Process.RunNext) that reaches its
    /// bound yields only then. By default true, so the chain always yields at its bound.
    /// </summary>
    bool HasWaitingWork => true;
}

/// <summary>
/// The .NET thread pool as a scheduler (a node's <see cref="NodeOptions.SchedulerFactory"/> may pick it; by default a
/// node uses <see cref="WorkerPool"/>, which wakes far fewer threads). Wake-ups go to its global FIFO queue,
/// so no process waits behind a stream of newer ones; spawns and hand-offs go to the worker's own queue, which
/// it pops newest first: a spawned tree is walked depth first (few of its processes are live at once) and a
/// message's receiver runs on the core whose cache holds it. Other workers steal from that queue when idle.
/// A worker pops its own queue before the shared one, so the process side bounds how many runs-next may follow
/// one another (Process.RunNext) and the shared queue is always reached.
/// </summary>
public sealed class ThreadPoolScheduler : IWorkScheduler
{
    public void Schedule(IThreadPoolWorkItem work) => ThreadPool.UnsafeQueueUserWorkItem(work, preferLocal: false);
    public void ScheduleNext(IThreadPoolWorkItem work) => ThreadPool.UnsafeQueueUserWorkItem(work, preferLocal: true);

    /// <summary>Work items queued anywhere in the pool (its shared queue and every worker's own): a sum of a few counts.</summary>
    public bool HasWaitingWork => ThreadPool.PendingWorkItemCount > 0;
}

/// <summary>
/// At most <c>workers</c> slices of this host run at once, on the thread pool: a host's <c>workers</c> setting.
/// Invariant: <see cref="_active"/> counts drainers that are queued or running; a drainer that finds the
/// queue empty leaves, then re-checks the queue so an item queued meanwhile is not stranded.
/// </summary>
public sealed class BoundedScheduler : IWorkScheduler, IThreadPoolWorkItem
{
    private readonly ConcurrentQueue<IThreadPoolWorkItem> _queue = new();
    private readonly int _workers;
    private int _active;

    public BoundedScheduler(int workers)
    {
        if (workers <= 0) throw new WispException(ErrorKind.Invalid, $"workers must be > 0, got {workers}");
        _workers = workers;
    }

    public void Schedule(IThreadPoolWorkItem work)
    {
        _queue.Enqueue(work);
        TryAddDrainer();
    }

    private void TryAddDrainer()
    {
        while (true)
        {
            int active = Volatile.Read(ref _active);
            if (active >= _workers) return;
            if (Interlocked.CompareExchange(ref _active, active + 1, active) == active)
            {
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
                return;
            }
        }
    }

    void IThreadPoolWorkItem.Execute()
    {
        for (int i = 0; i < 64 && _queue.TryDequeue(out var work); i++) work.Execute();
        Interlocked.Decrement(ref _active);
        if (!_queue.IsEmpty) TryAddDrainer();
    }
}
