using System.Diagnostics;
using System.Globalization;

namespace Wisp.Remote;

/// <summary>Latencies, medians and the machine's load, measured the same way for every runtime.</summary>
public static class Stats
{
    public static long Now() => Stopwatch.GetTimestamp();

    public static double Seconds(long ticks) => ticks / (double)Stopwatch.Frequency;

    /// <summary>p50 / p99 / p99.9 / max in µs over every requester's latencies (nearest rank).</summary>
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
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>The 1, 5 and 15 minute load averages, as /proc/loadavg gives them.</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}

/// <summary>One requester's per-request latencies, in Stopwatch ticks (written by that requester only).</summary>
public sealed class LatencyLog(int count)
{
    public readonly long[] Ticks = new long[count];
    public int Count => Ticks.Length;

    /// <summary>Splits <paramref name="requests"/> over <paramref name="requesters"/> logs, the first ones taking the remainder.</summary>
    public static LatencyLog[] Split(int requests, int requesters) =>
        Enumerable.Range(0, requesters).Select(i => new LatencyLog(requests / requesters + (i < requests % requesters ? 1 : 0))).ToArray();
}

/// <summary>Completes a task when <see cref="Signal"/> has been called <c>count</c> times (from any thread).</summary>
public sealed class Countdown(int count)
{
    private int _remaining = count;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Task => _done.Task;

    public void Signal()
    {
        if (Interlocked.Decrement(ref _remaining) == 0) _done.TrySetResult();
    }
}

/// <summary>A process's memory from /proc (Linux): its resident set now and its peak (VmRSS, VmHWM), in MB.</summary>
public static class ProcMemory
{
    public static double PeakMb(int pid) => Read(pid, "VmHWM:");

    public static double RssMb(int pid) => Read(pid, "VmRSS:");

    /// <summary>A field of /proc/PID/status in MB; NaN once the process is gone.</summary>
    private static double Read(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith(field, StringComparison.Ordinal))
                    return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return double.NaN;
    }
}
