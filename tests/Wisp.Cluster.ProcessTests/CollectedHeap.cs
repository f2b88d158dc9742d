using System.Diagnostics;

namespace Wisp.Cluster.ProcessTests;

/// <summary>
/// A live heap of small arrays (about 300 MiB) for the collector to walk and compact: every second a seventh of it is
/// replaced and a blocking, compacting Gen2 collection is forced, pausing this process's threads (Akka's heartbeats
/// among them) while its peers go on.
/// </summary>
internal sealed class CollectedHeap
{
    private readonly List<byte[]> _live = new(300_000);

    public CollectedHeap()
    {
        for (int i = 0; i < _live.Capacity; i++) _live.Add(new byte[1024]);
    }

    public int Collections { get; private set; }

    /// <summary>The longest forced collection, as this process's own clock saw it.</summary>
    public TimeSpan Longest { get; private set; }

    public async Task CollectEverySecond(TimeSpan length)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < length)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            for (int i = 0; i < _live.Count; i += 7) _live[i] = new byte[1024];
            var pause = Stopwatch.StartNew();
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            if (pause.Elapsed > Longest) Longest = pause.Elapsed;
            Collections++;
        }
    }
}
