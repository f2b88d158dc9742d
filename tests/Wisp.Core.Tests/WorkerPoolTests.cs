using Xunit;

namespace Wisp.Tests;

/// <summary>
/// The worker pool on its own (WorkerPool.cs): every item runs once whoever queues it, a parked pool wakes for work
/// from outside, work queued behind a long item or a blocked thread still runs, and idle threads retire and come back.
/// Each waits for events with a generous deadline; none asserts on speed.
/// </summary>
public sealed class WorkerPoolTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    /// <summary>An item that runs an action (which may queue more items on the pool).</summary>
    private sealed class Item(Action run) : IThreadPoolWorkItem
    {
        public void Execute() => run();
    }

    [Fact]
    public void Every_item_runs_once_whoever_queues_it()
    {
        var pool = new WorkerPool(2);
        int producers = 4, perProducer = 20_000 * StressScale.Factor, children = 3;
        int expected = producers * perProducer * (1 + children);
        var ran = new int[producers * perProducer * (1 + children)];
        int done = 0;
        using var all = new ManualResetEventSlim();

        void Run(int slot)
        {
            if (Interlocked.Increment(ref ran[slot]) != 1) throw new InvalidOperationException($"item {slot} ran twice");
            if (Interlocked.Increment(ref done) == expected) all.Set();
        }

        var threads = Enumerable.Range(0, producers).Select(p => new Thread(() =>
        {
            for (int i = 0; i < perProducer; i++)
            {
                int parent = (p * perProducer + i) * (1 + children);
                pool.Schedule(new Item(() =>
                {
                    // From a worker: one runs next, the others queue in turn, as a process's hand-off and later wake-ups do.
                    pool.ScheduleNext(new Item(() => Run(parent + 1)));
                    for (int c = 2; c <= children; c++)
                    {
                        int child = parent + c;
                        pool.Schedule(new Item(() => Run(child)));
                    }
                    Run(parent);
                }));
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.True(all.Wait(Deadline), $"{expected - Volatile.Read(ref done)} of {expected} items never ran");
        Assert.All(ran, count => Assert.Equal(1, count));
    }

    [Fact]
    public void A_parked_pool_wakes_for_each_item_from_outside()
    {
        // Each round lets the workers go idle (spin, then park) before the next item comes: a lost wake-up hangs a round.
        var pool = new WorkerPool(2);
        using var ran = new SemaphoreSlim(0);
        for (int round = 0; round < 200; round++)
        {
            pool.Schedule(new Item(() => ran.Release()));
            Assert.True(ran.Wait(Deadline), $"round {round}: the item never ran");
            if (round % 20 == 0) Thread.Sleep(5);   // sometimes long enough for both workers to park
        }
    }

    [Fact]
    public void An_item_handed_off_behind_a_long_one_runs_on_another_worker()
    {
        // The hand-off waits on its worker's stack while that worker stays in the item that made it: the monitor wakes
        // the other worker, which steals it. With no stealing this waits forever (the long item waits for the hand-off).
        var pool = new WorkerPool(2);
        using var handedOffRan = new ManualResetEventSlim();
        using var finished = new ManualResetEventSlim();
        bool ranMeanwhile = false;
        pool.Schedule(new Item(() =>
        {
            pool.ScheduleNext(new Item(handedOffRan.Set));
            ranMeanwhile = handedOffRan.Wait(Deadline);
            finished.Set();
        }));
        Assert.True(finished.Wait(Deadline * 2), "the long item never finished");
        Assert.True(ranMeanwhile, "the hand-off never ran while its worker was busy");
    }

    [Fact]
    public void Work_still_runs_when_every_worker_is_blocked()
    {
        // Code that blocks its thread (against the rules, but it happens): once every worker has been inside one item
        // for a while, the monitor hands what waits to the .NET thread pool.
        var pool = new WorkerPool(2);
        using var gate = new ManualResetEventSlim();
        using var blocked = new CountdownEvent(2);
        using var later = new ManualResetEventSlim();
        try
        {
            for (int i = 0; i < 2; i++)
                pool.Schedule(new Item(() =>
                {
                    blocked.Signal();
                    gate.Wait();   // until the test ends, whatever it found
                }));
            Assert.True(blocked.Wait(Deadline), "the blocking items never started on both workers");
            pool.Schedule(new Item(later.Set));
            // The hand-off comes after 100 monitor ticks, each a timer callback on the .NET thread pool, which other
            // tests running in parallel can keep busy: a generous wait.
            Assert.True(later.Wait(Deadline * 6), "an item queued while every worker was blocked never ran");
        }
        finally
        {
            gate.Set();
        }
    }

    [Fact]
    public void Idle_threads_retire_and_come_back_for_new_work()
    {
        var pool = new WorkerPool(2, retireAfter: TimeSpan.FromMilliseconds(50));
        using var ran = new SemaphoreSlim(0);
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < 100; i++) pool.Schedule(new Item(() => ran.Release()));
            for (int i = 0; i < 100; i++) Assert.True(ran.Wait(Deadline), $"round {round}: item {i} never ran");
            var until = DateTime.UtcNow + Deadline;
            while (pool.LiveThreads > 0 && DateTime.UtcNow < until) Thread.Sleep(10);
            Assert.Equal(0, pool.LiveThreads);
        }
    }
}
