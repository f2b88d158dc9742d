using Microsoft.Coyote.Specifications;
using Wisp.SystematicTests.Harness;
using Xunit.Abstractions;

namespace Wisp.SystematicTests;

/// <summary>
/// Proves, on every run, that this harness can fail: a miniature of the process loop (a locked queue, a
/// scheduled flag, slices run by the same <see cref="ControlledScheduler"/>) is explored by the same engine
/// settings as the real tests. The correct variant must pass; each broken variant must be caught. If rewriting
/// stopped working, or the scheduler stopped being controlled, the broken variants would pass and these fail.
/// </summary>
public class HarnessSelfTests(ITestOutputHelper output)
{
    private const int Senders = 2;
    private const int PerSender = 2;

    [Fact]
    public void Correct_mini_loop_passes() =>
        Systematic.Check(output, () => RunMiniLoop(MiniLoop.Variant.Correct), iterations: 200);

    /// <summary>The loop checks its queue before clearing the flag: a post in between is never run.</summary>
    [Fact]
    public void Lost_wakeup_in_a_mini_loop_is_found_as_a_deadlock()
    {
        var found = Systematic.Explore(() => RunMiniLoop(MiniLoop.Variant.CheckThenClear), iterations: 500);
        output.WriteLine(found.Summary);
        Assert.True(found.BugFound, "Coyote did not find the planted lost wake-up: the harness cannot fail. " + found.Summary);
        output.WriteLine($"planted lost wake-up found at iteration {found.BugIteration}: {found.Bugs[0]}");
        Assert.Contains("deadlock", found.Bugs[0], StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Start queues the first slice without the flag check: a racing post queues the loop twice.</summary>
    [Fact]
    public void Double_queued_mini_loop_is_found_by_the_checking_scheduler()
    {
        var found = Systematic.Explore(() => RunMiniLoop(MiniLoop.Variant.UncheckedStart), iterations: 500);
        output.WriteLine(found.Summary);
        Assert.True(found.BugFound, "Coyote did not find the planted double queuing: the harness cannot fail. " + found.Summary);
        output.WriteLine($"planted double queuing found at iteration {found.BugIteration}: {found.Bugs[0]}");
        Assert.Contains("queued twice", found.Bugs[0]);
    }

    private static async Task RunMiniLoop(MiniLoop.Variant variant)
    {
        var loop = new MiniLoop(new ControlledScheduler(), variant, Senders * PerSender);
        var senders = new List<Task>();
        for (int s = 0; s < Senders; s++)
        {
            int sender = s;
            senders.Add(Task.Run(() =>
            {
                for (int i = 0; i < PerSender; i++) loop.Post(sender * 100 + i);
            }));
        }
        loop.Start();
        await Task.WhenAll(senders);
        var received = await loop.AllReceived;
        for (int s = 0; s < Senders; s++)
        {
            var mine = received.Where(v => v / 100 == s).ToList();
            Specification.Assert(mine.SequenceEqual(Enumerable.Range(s * 100, PerSender)), "sender {0} got {1}", s, string.Join(",", mine));
        }
    }

    /// <summary>Process.cs's scheduling in a few lines: a queue any thread appends to, drained by one slice at a time.</summary>
    private sealed class MiniLoop(IWorkScheduler scheduler, MiniLoop.Variant variant, int expected) : IThreadPoolWorkItem
    {
        public enum Variant { Correct, CheckThenClear, UncheckedStart }

        private readonly Queue<int> _queue = new();
        private readonly List<int> _received = [];
        private readonly TaskCompletionSource<List<int>> _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _scheduled;

        public Task<List<int>> AllReceived => _all.Task;

        public void Start()
        {
            if (variant == Variant.UncheckedStart)
            {
                Volatile.Write(ref _scheduled, 1);
                scheduler.Schedule(this);
            }
            else if (Interlocked.CompareExchange(ref _scheduled, 1, 0) == 0) scheduler.Schedule(this);
        }

        public void Post(int item)
        {
            lock (_queue) _queue.Enqueue(item);
            if (Volatile.Read(ref _scheduled) == 0 && Interlocked.CompareExchange(ref _scheduled, 1, 0) == 0)
                scheduler.Schedule(this);
        }

        public void Execute()
        {
            while (true)
            {
                int item;
                lock (_queue)
                {
                    if (!_queue.TryDequeue(out item)) break;
                }
                _received.Add(item);
                if (_received.Count == expected) _all.SetResult(_received);
            }
            if (variant == Variant.CheckThenClear)
            {
                bool empty;
                lock (_queue) empty = _queue.Count == 0;
                Volatile.Write(ref _scheduled, 0);      // BUG: a post between the check and this write is lost
                if (!empty && Interlocked.CompareExchange(ref _scheduled, 1, 0) == 0) scheduler.Schedule(this);
            }
            else
            {
                Volatile.Write(ref _scheduled, 0);
                bool empty;
                lock (_queue) empty = _queue.Count == 0;
                if (!empty && Interlocked.CompareExchange(ref _scheduled, 1, 0) == 0) scheduler.Schedule(this);
            }
        }
    }
}
