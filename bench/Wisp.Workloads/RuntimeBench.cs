using System.Diagnostics;

namespace Wisp.Workloads;

public sealed record EchoRun(long ElapsedTicks, IReadOnlyList<LatencyLog> Latencies, int ExitsSeen, int Requests);

/// <summary>
/// A round trip run: <paramref name="Latencies"/> holds each round trip's time, <paramref name="ElapsedTicks"/> their
/// sum (first send to last reply), <paramref name="ClockNs"/> what one read of the clock that timed them costs.
/// </summary>
public sealed record RoundTripRun(long ElapsedTicks, LatencyLog Latencies, double ClockNs);

public sealed record IdleRun(int Count, double SpawnSeconds, long HeapBefore, long HeapAfter, long RssBefore, long RssAfter)
{
    /// <summary>Memory outside the managed heap that the runtime counts itself (Lua states), before and after.</summary>
    public long NativeBefore { get; init; }
    public long NativeAfter { get; init; }
}

/// <summary>
/// The workloads, each implemented once per runtime in that runtime's own idiom. A method builds what it needs
/// (a node, an actor system), runs the workload to completion, tears it down, and returns raw measurements.
/// The clock runs from the first message of the workload to the last observable effect (the last reply and
/// the last EXIT for echo; the last EXIT for spawn; the root's result for skynet; the last delivery for fan-out).
/// </summary>
public abstract class RuntimeBench
{
    public abstract string Name { get; }

    /// <summary>
    /// request → registered relay → spawn monitored worker → worker replies → relay sees the EXIT: one requester per
    /// log, each sending as many requests as its log holds. The logs are made before the measure (Workload.Prepare).
    /// </summary>
    public abstract Task<EchoRun> Echo(LatencyLog[] logs, TimeSpan timeout);

    /// <summary>A parent spawns <paramref name="children"/> monitored children (at most <paramref name="window"/> alive), sends each one message; each exits on it. Returns elapsed ticks.</summary>
    public abstract Task<long> Spawn(int children, int window, TimeSpan timeout);

    /// <summary>Spawns one process per name, registered under it and parked waiting for a message.</summary>
    public abstract Task<IdleRun> Idle(string[] names, TimeSpan timeout);

    /// <summary><paramref name="pairs"/> ping/pong pairs, <paramref name="window"/> pings in flight per pair. Returns elapsed ticks.</summary>
    public abstract Task<long> PingPong(int pairs, int window, int roundTrips, TimeSpan timeout);

    /// <summary>
    /// Two processes, one message in flight: A sends to B, B replies, A sends again on the reply, as many times as
    /// <paramref name="log"/> holds. A timestamps each reply (one clock read per round trip): a round trip is the time
    /// from the previous reply (or the first send) to its reply.
    /// </summary>
    public abstract Task<RoundTripRun> RoundTrip(LatencyLog log, TimeSpan timeout);

    /// <summary>Skynet: each node is a process that spawns 10 children and sums their replies. Returns (elapsed ticks, sum).</summary>
    public abstract Task<(long Ticks, long Sum)> Skynet(int leaves, TimeSpan timeout);

    /// <summary>One publisher sends <paramref name="rounds"/> messages to each of <paramref name="subscribers"/>. Returns elapsed ticks.</summary>
    public abstract Task<long> Fanout(int subscribers, int rounds, TimeSpan timeout);

    protected static long Now() => Stopwatch.GetTimestamp();

    /// <summary>What one <see cref="Now"/> costs, in ns: a million reads back to back, measured once per process (after its first round trips).</summary>
    protected static double ClockNs => StopwatchCost.Value;

    private static readonly Lazy<double> StopwatchCost = new(() =>
    {
        const int Reads = 1_000_000;
        long start = Now();
        for (int i = 0; i < Reads; i++) Now();
        long elapsed = Now() - start;
        return Stats.Seconds(elapsed) * 1e9 / Reads;
    });

    /// <summary>Waits for the requesters, then gives the relay a grace period to see the remaining EXITs.</summary>
    protected static async Task<EchoRun> FinishEcho(long start, Task repliesDone, ExitCounter exits, LatencyLog[] logs, TimeSpan timeout)
    {
        await repliesDone.WaitAsync(timeout);
        try
        {
            await exits.All.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException) { }   // reported as a count below the request count
        long elapsed = Now() - start;
        return new EchoRun(elapsed, logs, exits.Seen, LatencyLog.Total(logs));
    }
}
