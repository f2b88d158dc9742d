using Wisp.Workloads;
namespace Wisp.Remote;

/// <summary>
/// A workload: what node A runs against node B (in the client child) and the figures it reports. A heavy one runs
/// <c>--push-launches</c> times instead of <c>--launches</c>.
/// </summary>
public sealed record Workload(
    string Id,
    string Title,
    Func<IRemoteClient, Sizes, Action<int>, TimeSpan, Task<Dictionary<string, double>>> Run,
    Metric[] Metrics,
    Func<Sizes, int> TimeoutSeconds,
    bool Warms = true,
    bool Heavy = false)
{
    /// <summary>Both children's peak RSS, which the orchestrator adds to every launch.</summary>
    public static readonly Metric ClientPeak = new("client_peak_rss_mb", "A's peak RSS", false, "MB");
    public static readonly Metric ServerPeak = new("server_peak_rss_mb", "B's peak RSS", false, "MB");

    public static readonly Workload[] All =
    [
        new("oneway", "one-way A → B: 64-byte payloads pipelined to B's sink, then a marker; until B's count comes back",
            (client, s, progress, t) => OneWay(client, s.OneWayMessages, progress, t),
            [new("msgs_per_s", "messages/s", true, "/s"), new("send_per_s", "handed to the runtime/s", true, "/s", Headline: false),
             new("lost", "messages lost (must be 0)", false, ""), new("back_offs", "sends refused (queue full)", false, "", Headline: false),
             ClientPeak with { Headline = false }, ServerPeak with { Headline = false }],
            s => s.TimeoutSeconds),
        new("echo-seq", "echo across nodes, 1 requester: request by PID → B's echo → reply by PID",
            (client, s, _, t) => Echo(client, s.EchoRequests, 1, t), EchoMetrics, s => s.TimeoutSeconds),
        new("echo-16", "echo across nodes, 16 concurrent requesters",
            (client, s, _, t) => Echo(client, s.EchoConcurrentRequests, 16, t), EchoMetrics, s => s.TimeoutSeconds),
        new("push", "A sends as fast as it can to B's sink; both sides' peak RSS",
            (client, s, progress, t) => OneWay(client, s.PushMessages, progress, t),
            [ClientPeak, ServerPeak, new("msgs_per_s", "delivered/s", true, "/s"), new("lost", "messages lost (must be 0)", false, ""),
             new("send_per_s", "handed to the runtime/s", true, "/s", Headline: false), new("back_offs", "sends refused (queue full)", false, "", Headline: false)],
            s => s.PushTimeoutSeconds, Warms: false, Heavy: true),
    ];

    private static Metric[] EchoMetrics =>
    [
        new("req_per_s", "requests/s", true, "/s"),
        new("p50_us", "p50 latency", false, "µs"),
        new("p99_us", "p99 latency", false, "µs"),
        new("p999_us", "p99.9 latency", false, "µs"),
        ClientPeak with { Headline = false }, ServerPeak with { Headline = false },
    ];

    private static async Task<Dictionary<string, double>> OneWay(IRemoteClient client, int messages, Action<int> progress, TimeSpan timeout)
    {
        var run = await client.OneWay(messages, progress, timeout);
        return new()
        {
            ["msgs_per_s"] = messages / Stats.Seconds(run.TotalTicks),
            ["send_per_s"] = messages / Stats.Seconds(run.SendTicks),
            ["messages"] = messages,
            ["lost"] = messages - run.Counted,
            ["back_offs"] = run.BackOffs,
        };
    }

    private static async Task<Dictionary<string, double>> Echo(IRemoteClient client, int requests, int requesters, TimeSpan timeout)
    {
        // As in Wisp.Workloads: the logs are made and the heap settled before the timed part, so no collection of the
        // measure copies them.
        var logs = LatencyLog.ForRequesters(requests, requesters);
        Memory.Settle();
        var run = await client.Echo(logs, timeout);
        var (p50, p99, p999, max) = Stats.Percentiles(run.Latencies);
        return new()
        {
            ["req_per_s"] = requests / Stats.Seconds(run.ElapsedTicks),
            ["p50_us"] = p50,
            ["p99_us"] = p99,
            ["p999_us"] = p999,
            ["max_us"] = max,
            ["requests"] = requests,
        };
    }

    public static Workload Find(string id) => All.FirstOrDefault(w => w.Id == id) ?? throw new ArgumentException($"unknown workload '{id}'");
}
