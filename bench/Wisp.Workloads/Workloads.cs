namespace Wisp.Workloads;

/// <summary>One launch of a workload on a runtime, its inputs made: runs it and returns its figures.</summary>
public delegate Task<Dictionary<string, double>> WorkloadRun(RuntimeBench runtime, TimeSpan timeout);

/// <summary>
/// A workload: what it runs on a runtime (in a child process) and which figures it reports. <see cref="Prepare"/>
/// makes what the runtime is handed (latency logs, names) before the heap is settled and the measure starts, so no
/// runtime's measure collects the harness's own objects.
/// </summary>
public sealed record Workload(
    string Id,
    string Title,
    Func<Sizes, WorkloadRun> Prepare,
    Metric[] Metrics,
    bool Warms = true,
    bool SingleLaunch = false)
{
    public static readonly Workload[] All =
    [
        new("echo-seq", "echo, 1 requester (request → relay → monitored worker → reply; relay sees EXIT)",
            s => Echo(s.EchoRequests, 1), EchoMetrics),
        new("echo-16", "echo, 16 concurrent requesters",
            s => Echo(s.EchoConcurrentRequests, 16), EchoMetrics),
        new("echo-256", "echo, 256 concurrent requesters",
            s => Echo(s.EchoConcurrentRequests, 256), EchoMetrics),
        new("spawn", "spawn + one message + exit, monitored (EXIT seen by the parent)",
            s => async (rt, t) =>
            {
                long ticks = await rt.Spawn(s.SpawnChildren, s.SpawnWindow, t);
                return new() { ["per_s"] = s.SpawnChildren / Stats.Seconds(ticks), ["children"] = s.SpawnChildren, ["window"] = s.SpawnWindow };
            },
            [new("per_s", "children/s", true, "/s")]),
        new("idle", "idle processes, registered by name and parked on their inbox",
            s => Idle(s.IdleProcesses),
            [new("heap_b_per_process", "managed heap B/process", false, "B"), new("rss_b_per_process", "RSS B/process", false, "B", Headline: false),
             new("native_b_per_process", "native (Lua) B/process", false, "B", Headline: false),
             new("total_b_per_process", "heap + native B/process", false, "B", Headline: false),
             new("spawn_s", "time to spawn + park all", false, "s", Headline: false)],
            Warms: false),
        new("idle-1m", "1M idle processes, registered and parked (heap and RSS)",
            s => Idle(s.IdleBigProcesses),
            [new("heap_mb", "managed heap delta", false, "MB"), new("rss_mb", "process RSS", false, "MB"),
             new("heap_b_per_process", "managed heap B/process", false, "B", Headline: false), new("spawn_s", "time to spawn + park all", false, "s")],
            Warms: false, SingleLaunch: true),
        new("pingpong", "ping-pong, pairs × window in flight (messages both ways counted)",
            s => async (rt, t) =>
            {
                long ticks = await rt.PingPong(s.PingPongPairs, s.PingPongWindow, s.PingPongRoundTrips, t);
                double messages = 2.0 * s.PingPongPairs * s.PingPongRoundTrips;
                return new() { ["msgs_per_s"] = messages / Stats.Seconds(ticks), ["messages"] = messages };
            },
            [new("msgs_per_s", "messages/s", true, "/s")]),
        new("roundtrip", "round trip between two processes, one message in flight (A → B → A, and again)",
            s =>
            {
                var log = new LatencyLog(s.RoundTrips);
                return async (rt, t) =>
                {
                    var run = await rt.RoundTrip(log, t);
                    var (p50, p99, p999, max) = Stats.Percentiles([run.Latencies]);
                    return new()
                    {
                        ["p50_ns"] = p50 * 1000, ["p99_ns"] = p99 * 1000, ["p999_ns"] = p999 * 1000, ["max_ns"] = max * 1000,
                        ["round_trips_per_s"] = s.RoundTrips / Stats.Seconds(run.ElapsedTicks),
                        ["clock_ns"] = run.ClockNs, ["round_trips"] = s.RoundTrips,
                    };
                };
            },
            [new("p50_ns", "p50 round trip", false, "ns"), new("p99_ns", "p99 round trip", false, "ns", Headline: false),
             new("p999_ns", "p99.9 round trip", false, "ns", Headline: false),
             new("round_trips_per_s", "round trips/s", true, "/s", Headline: false),
             new("clock_ns", "clock read (one per round trip)", false, "ns", Headline: false)]),
        new("skynet", "skynet (every node a process with its own PID; 10 children each; sums replies)",
            s => async (rt, t) =>
            {
                var (ticks, sum) = await rt.Skynet(s.Skynet, t);
                long expected = (long)s.Skynet * (s.Skynet - 1) / 2;
                if (sum != expected) throw new InvalidOperationException($"skynet sum {sum}, expected {expected}");
                return new() { ["seconds"] = Stats.Seconds(ticks), ["leaves"] = s.Skynet };
            },
            [new("seconds", "wall time", false, "s")]),
        new("fanout", "fan-out: 1 publisher → N subscribers, R rounds",
            s => async (rt, t) =>
            {
                long ticks = await rt.Fanout(s.FanoutSubscribers, s.FanoutRounds, t);
                double deliveries = (double)s.FanoutSubscribers * s.FanoutRounds;
                return new() { ["deliveries_per_s"] = deliveries / Stats.Seconds(ticks), ["deliveries"] = deliveries };
            },
            [new("deliveries_per_s", "deliveries/s", true, "/s")]),
    ];

    private static Metric[] EchoMetrics =>
    [
        new("req_per_s", "requests/s", true, "/s"),
        new("p50_us", "p50 latency", false, "µs"),
        new("p99_us", "p99 latency", false, "µs"),
        new("p999_us", "p99.9 latency", false, "µs"),
        new("exits_missing", "EXITs missing (must be 0)", false, "", Headline: true),
    ];

    private static WorkloadRun Echo(int requests, int requesters)
    {
        var logs = LatencyLog.ForRequesters(requests, requesters);
        return async (rt, timeout) => EchoFigures(await rt.Echo(logs, timeout));
    }

    private static Dictionary<string, double> EchoFigures(EchoRun run)
    {
        var (p50, p99, p999, max) = Stats.Percentiles(run.Latencies);
        return new()
        {
            ["req_per_s"] = run.Requests / Stats.Seconds(run.ElapsedTicks),
            ["p50_us"] = p50,
            ["p99_us"] = p99,
            ["p999_us"] = p999,
            ["max_us"] = max,
            ["requests"] = run.Requests,
            ["exits"] = run.ExitsSeen,
            ["exits_missing"] = run.Requests - run.ExitsSeen,
        };
    }

    private static Dictionary<string, double> IdleMetrics(IdleRun run) => new()
    {
        ["count"] = run.Count,
        ["heap_b_per_process"] = (run.HeapAfter - run.HeapBefore) / (double)run.Count,
        ["native_b_per_process"] = (run.NativeAfter - run.NativeBefore) / (double)run.Count,
        ["total_b_per_process"] = (run.HeapAfter - run.HeapBefore + run.NativeAfter - run.NativeBefore) / (double)run.Count,
        ["rss_b_per_process"] = (run.RssAfter - run.RssBefore) / (double)run.Count,
        ["heap_mb"] = (run.HeapAfter - run.HeapBefore) / 1048576.0,
        ["heap_total_mb"] = run.HeapAfter / 1048576.0,
        ["rss_mb"] = run.RssAfter / 1048576.0,
        ["spawn_s"] = run.SpawnSeconds,
    };

    /// <summary>The names are made before the baseline is taken, so no runtime is charged for the strings.</summary>
    private static WorkloadRun Idle(int count)
    {
        var names = new string[count];
        for (int i = 0; i < count; i++) names[i] = "idle-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return async (rt, timeout) => IdleMetrics(await rt.Idle(names, timeout));
    }

    public static Workload? Find(string id) => All.FirstOrDefault(w => w.Id == id);
}
