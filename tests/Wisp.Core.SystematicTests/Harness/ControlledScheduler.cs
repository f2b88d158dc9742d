using Microsoft.Coyote.Specifications;

namespace Wisp.SystematicTests.Harness;

/// <summary>
/// A host scheduler that Coyote controls: each slice runs in its own <see cref="Task.Run(Action)"/>, which the
/// rewritten test assembly turns into an operation Coyote schedules. (<see cref="ThreadPool.UnsafeQueueUserWorkItem(IThreadPoolWorkItem, bool)"/>,
/// which <see cref="ThreadPoolScheduler"/> uses, is not among the APIs Coyote 1.7 rewrites: work queued there would
/// run outside Coyote's control, which it reports as uncontrolled concurrency or a false deadlock.)
///
/// It also checks the scheduled-flag invariant of Process.cs from the outside: a work item is never queued again
/// while an earlier queuing of it has not started to run, since only the thread that flips the flag 0→1 queues.
/// </summary>
internal sealed class ControlledScheduler : IWorkScheduler
{
    private readonly object _gate = new();
    private readonly Dictionary<IThreadPoolWorkItem, int> _queued = new(ReferenceEqualityComparer.Instance);

    public void Schedule(IThreadPoolWorkItem work)
    {
        lock (_gate)
        {
            _queued.TryGetValue(work, out int queued);
            Specification.Assert(queued == 0,
                "work item {0} queued twice before it ran: two threads could run its loop at once", work);
            _queued[work] = queued + 1;
        }
        _ = Task.Run(() =>
        {
            lock (_gate) _queued[work]--;
            work.Execute();
        });
    }
}
