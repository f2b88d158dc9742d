using System.Diagnostics;
using Xunit.Abstractions;

namespace Wisp.Tests;

/// <summary>
/// Idle processes parked on their inboxes beside active ones that spawn, monitor and message children without
/// pause, with forced full collections: after a warm-up the managed heap and the process's resident memory stay
/// flat. CI runs 10,000 idle and 1,000 active for a few seconds; <c>WISP_STRESS_SCALE</c> multiplies both counts and
/// <c>WISP_SOAK_SECONDS</c> sets the length (docs/reliability.md records 1M idle + 100k active for 10 minutes).
/// </summary>
[Collection(nameof(SoakTests))]
public class SoakTests(ITestOutputHelper output)
{
    private static TimeSpan Length =>
        TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("WISP_SOAK_SECONDS"), out var s) && s > 0 ? s : 6);

    [Fact]
    public async Task Idle_and_churning_processes_leave_the_heap_and_resident_memory_flat()
    {
        int idle = 10_000 * StressScale.Factor, active = 1_000 * StressScale.Factor;
        var node = new TestNode();
        var stop = new CancellationTokenSource();
        long rounds = 0;

        var idlers = new List<Pid>(idle);
        for (int i = 0; i < idle; i++) idlers.Add(node.Spawn(static async p => (await p.Inbox.Next()).Topic));
        var churners = await Task.WhenAll(Enumerable.Range(0, active).Select(_ => node.Start(async p =>
        {
            while (!stop.IsCancellationRequested)
            {
                var child = p.Spawn(static async c =>
                {
                    var m = await c.Inbox.Next();
                    c.Send(m.From, "pong", null);
                    return null;
                }, SpawnOptions.Monitored);
                p.Send(child, "ping", new byte[64]);
                await p.Inbox.Next();
                var exit = await p.Events.Next();
                Assert.Equal(child, exit.From);
                Interlocked.Increment(ref rounds);
            }
            return null;
        })));

        // Samples after forced, compacting full collections: the first third of the run is the warm-up.
        var samples = new List<(long Heap, long Resident)>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Length)
        {
            await Task.Delay(Length / 12);
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            using var self = System.Diagnostics.Process.GetCurrentProcess();
            samples.Add((GC.GetTotalMemory(false), self.WorkingSet64));
        }
        stop.Cancel();
        foreach (var churner in churners) Assert.Null((await churner.Exit).Error);
        foreach (var pid in idlers) node.Node.Send(pid, "done", null);

        foreach (var (heap, resident) in samples) output.WriteLine($"heap {heap / 1024 / 1024} MiB, resident {resident / 1024 / 1024} MiB");
        output.WriteLine($"{idle} idle, {active} active, {rounds} spawn-message-exit rounds in {clock.Elapsed}");
        Assert.True(rounds > active, "the active processes did no work");
        var warm = samples[samples.Count / 3];
        var end = samples[^1];
        // Flat: within a tenth of the warm figure (plus a few MiB for the runtime's own bookkeeping).
        Assert.True(end.Heap <= warm.Heap * 1.1 + (8 << 20), $"the managed heap grew from {warm.Heap} to {end.Heap} bytes");
        Assert.True(end.Resident <= warm.Resident * 1.1 + (32 << 20), $"resident memory grew from {warm.Resident} to {end.Resident} bytes");
    }
}

/// <summary>The soak runs alone: it samples the whole OS process's heap, which tests running beside it would grow.</summary>
[CollectionDefinition(nameof(SoakTests), DisableParallelization = true)]
public sealed class SoakCollection;
