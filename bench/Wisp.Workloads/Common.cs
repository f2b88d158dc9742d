using System.Diagnostics;

namespace Wisp.Workloads;

/// <summary>Sizes and switches of one run; the same object drives the orchestrator and every child launch.</summary>
public sealed record Sizes
{
    public int EchoRequests { get; init; } = 100_000;        // echo-seq: one requester
    public int EchoConcurrentRequests { get; init; } = 256_000; // echo-16 / echo-256: total over all requesters
    public int SpawnChildren { get; init; } = 200_000;
    public int SpawnWindow { get; init; } = 1_000;            // children alive at once in the spawn workload
    public int IdleProcesses { get; init; } = 100_000;
    public int IdleBigProcesses { get; init; } = 1_000_000;
    public int PingPongPairs { get; init; } = 4;
    public int PingPongWindow { get; init; } = 100;
    public int PingPongRoundTrips { get; init; } = 1_000_000; // per pair
    public int RoundTrips { get; init; } = 1_000_000;         // roundtrip: one message in flight
    public int Skynet { get; init; } = 1_000_000;             // leaves; a power of 10
    public int FanoutSubscribers { get; init; } = 1_000;
    public int FanoutRounds { get; init; } = 1_000;
    public bool Warmup { get; init; } = true;
    public int TimeoutSeconds { get; init; } = 180;

    /// <summary>The sizes of the warm-up pass a child runs before it measures (same code, about a tenth of the work).</summary>
    public Sizes ForWarmup() => this with
    {
        EchoRequests = Math.Max(1_000, EchoRequests / 10),
        EchoConcurrentRequests = Math.Max(4_096, EchoConcurrentRequests / 10),
        SpawnChildren = Math.Max(2_000, SpawnChildren / 10),
        PingPongRoundTrips = Math.Max(10_000, PingPongRoundTrips / 10),
        RoundTrips = Math.Max(10_000, RoundTrips / 10),
        Skynet = Math.Min(Skynet, 10_000),
        FanoutRounds = Math.Max(10, FanoutRounds / 10),
    };
}

/// <summary>Signals a task when <c>Signal</c> has been called <c>count</c> times (from any thread).</summary>
public sealed class Countdown(int count)
{
    private int _remaining = count;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Task => _done.Task;
    public int Remaining => Volatile.Read(ref _remaining);

    public void Signal()
    {
        if (Interlocked.Decrement(ref _remaining) == 0) _done.TrySetResult();
    }
}

/// <summary>What the echo workload's relay shares with the driver: how many EXITs it has seen.</summary>
public sealed class ExitCounter(int expected)
{
    private int _seen;
    private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Expected => expected;
    public int Seen => Volatile.Read(ref _seen);
    public Task All => _all.Task;

    /// <summary>Called by the relay only (one thread at a time).</summary>
    public void Saw()
    {
        int seen = _seen + 1;
        Volatile.Write(ref _seen, seen);
        if (seen == expected) _all.TrySetResult();
    }
}

/// <summary>
/// One requester's per-request latencies, in Stopwatch ticks. Made before the measure and settled with the heap
/// (Workload.Prepare): made inside it, a run's logs (2 MB for 256k requests) were young objects that the measure's
/// collections copied twice, pausing every request in flight.
/// </summary>
public sealed class LatencyLog(int count)
{
    public readonly long[] Ticks = new long[count];
    public int Count => Ticks.Length;

    /// <summary>The logs of an echo run's requesters, <paramref name="requests"/> shared out among them.</summary>
    public static LatencyLog[] ForRequesters(int requests, int requesters)
    {
        var logs = new LatencyLog[requesters];
        for (int i = 0; i < requesters; i++) logs[i] = new LatencyLog(requests / requesters + (i < requests % requesters ? 1 : 0));
        return logs;
    }

    /// <summary>The requests (or round trips) that <paramref name="logs"/> hold in all.</summary>
    public static int Total(IEnumerable<LatencyLog> logs) => logs.Sum(l => l.Count);
}

public static class Stats
{
    public static double Seconds(long ticks) => ticks / (double)Stopwatch.Frequency;

    /// <summary>p50 / p99 / p99.9 in µs over every requester's latencies (nearest rank).</summary>
    public static (double P50, double P99, double P999, double Max) Percentiles(IEnumerable<LatencyLog> logs)
    {
        var all = logs.SelectMany(l => l.Ticks).ToArray();
        if (all.Length == 0) return (double.NaN, double.NaN, double.NaN, double.NaN);
        Array.Sort(all);
        double Us(long t) => t * 1_000_000.0 / Stopwatch.Frequency;
        long At(double q) => all[Math.Clamp((int)Math.Ceiling(q * all.Length) - 1, 0, all.Length - 1)];
        return (Us(At(0.50)), Us(At(0.99)), Us(At(0.999)), Us(all[^1]));
    }

    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).OrderBy(v => v).ToArray();
        if (sorted.Length == 0) return double.NaN;
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}

/// <summary>Managed heap and RSS, measured the same way for every runtime.</summary>
public static class Memory
{
    public static long SettledHeap()
    {
        Settle();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>Full, compacting collections until the finalizers have run: nothing left for a collection to find.</summary>
    public static void Settle()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
    }

    /// <summary>Resident set size from /proc/self/status (VmRSS), else the working set.</summary>
    public static long Rss()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return long.Parse(line[6..].Trim().Split(' ')[0]) * 1024;
        }
        catch (IOException) { }
        return Environment.WorkingSet;
    }
}

// Messages shared by the implementations (immutable, as Akka.NET and Proto.Actor recommend).
public sealed record EchoRequest(string Data);
public sealed record Reply(string Data);
public sealed class Go { public static readonly Go Instance = new(); }
public sealed class Tick { public static readonly Tick Instance = new(); }
public sealed record SkynetStart(long Num, long Size);
