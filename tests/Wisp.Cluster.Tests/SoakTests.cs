using System.Diagnostics;
using Xunit.Abstractions;

namespace Wisp.Cluster.Tests;

/// <summary>
/// Three nodes at load with forced full collections: processes on each node ping processes on the next one, which
/// they monitor and link, while a live heap of a few hundred MiB is collected and compacted every second. No watcher
/// hears a node lost (no false down), every pair makes progress, and every node still sees the other two at
/// the end. The nodes share this test process (and so its collector's pauses); <c>WISP_SOAK_SECONDS</c> sets the
/// length (8 s by default; docs/reliability.md records 10 minutes).
/// </summary>
public class SoakTests(ITestOutputHelper output)
{
    private const int PairsPerNode = 20;

    private static TimeSpan Length =>
        TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("WISP_SOAK_SECONDS"), out var s) && s > 0 ? s : 8);

    [Fact]
    public async Task Three_nodes_at_load_with_forced_collections_never_falsely_lose_each_other()
    {
        await using var cluster = new ClusterHarness();
        var nodes = new[] { await cluster.Start("a"), await cluster.Start("b"), await cluster.Start("c") };
        await cluster.Connected();

        using var stop = new CancellationTokenSource();
        var rounds = new long[3 * PairsPerNode];
        var heard = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var ended = new List<Task>();
        for (int n = 0; n < nodes.Length; n++)
        {
            var here = nodes[n].Node;
            var there = nodes[(n + 1) % nodes.Length].Node;
            for (int i = 0; i < PairsPerNode; i++)
            {
                int pair = n * PairsPerNode + i;
                var ponger = there.Spawn(ClusterHarness.HostId, static async c =>
                {
                    while (true)
                    {
                        var (m, _) = await c.Inbox.Receive();
                        c.Send(m.From, "pong", m.Payload<object>());
                    }
                });
                var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                ended.Add(done.Task);
                here.Spawn(ClusterHarness.HostId, async c =>
                {
                    c.Monitor(ponger);
                    c.Link(ponger);
                    c.TrapLinks = true;
                    while (!stop.IsCancellationRequested)
                    {
                        c.Send(ponger, "ping", new byte[256]);
                        var r = await c.Select(c.Inbox.CaseReceive(), c.Events.CaseReceive());
                        if (r.Index == 1)
                        {
                            var e = r.ValueAs<ProcessEvent>();
                            heard.Enqueue($"{c.Pid} heard {e.Kind} from {e.From}: {e.Result?.Error?.Message}");
                            break;
                        }
                        Interlocked.Increment(ref rounds[pair]);
                    }
                    done.SetResult();
                    return null;
                });
            }
        }

        // A live heap for the collector to walk and compact, replaced in part between collections.
        var live = new List<byte[]>();
        for (int i = 0; i < 300_000; i++) live.Add(new byte[1024]);
        var clock = Stopwatch.StartNew();
        int collections = 0;
        while (clock.Elapsed < Length)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            for (int i = 0; i < live.Count; i += 7) live[i] = new byte[1024];
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            collections++;
        }
        stop.Cancel();
        await Task.WhenAll(ended).WaitAsync(ClusterHarness.Deadline);
        GC.KeepAlive(live);

        output.WriteLine($"{rounds.Sum()} cross-node round trips in {clock.Elapsed}, {collections} forced compacting collections");
        Assert.Empty(heard);
        Assert.All(rounds, r => Assert.True(r > 0, "a pair made no round trip"));
        Assert.All(nodes, m => Assert.Equal(2, m.Cluster.Peers.Count));
    }
}
