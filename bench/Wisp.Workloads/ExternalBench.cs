using System.Diagnostics;
using System.Text.Json;

namespace Wisp.Workloads;

/// <summary>
/// A peer written outside .NET (bench/peers/FOLDER), in its own language and idiom. Its program is built once per
/// change of its sources (<see cref="ExternalBuild"/>) and started once per harness child (<see cref="ExternalProgram"/>);
/// every workload call is one command to it, so the harness's warm-up passes and the measure run in the same OS
/// process, as they do for the .NET runtimes. The figures are the program's own: its monotonic clock, each
/// request's latency in nanoseconds, its runtime's account of memory.
/// </summary>
public abstract class ExternalBench : RuntimeBench
{
    private readonly Lazy<string?> _missing;
    private ExternalProgram? _program;

    protected ExternalBench() => _missing = new(() => Tools.FirstOrDefault(t => ExternalBuild.FindOnPath(t) is null));

    /// <summary>The tools the peer needs on PATH, and the Debian packages that install them.</summary>
    protected abstract string[] Tools { get; }
    protected abstract string Packages { get; }

    /// <summary>The folder under bench/peers and the names of its source files (globs).</summary>
    protected abstract string Folder { get; }
    protected abstract string[] SourcePatterns { get; }

    /// <summary>The command that builds the sources into <paramref name="output"/>, and the one that starts the result.</summary>
    protected abstract ProcessStartInfo BuildCommand(string sources, string output);
    protected abstract ProcessStartInfo StartCommand(string output);

    public bool Installed => _missing.Value is null;

    /// <summary>Why the peer is skipped, when it is.</summary>
    public string MissingNote => $"{Name}, not installed (no `{_missing.Value}` on PATH; Debian: apt-get install {Packages})";

    /// <summary>Builds if needed, starts the program and returns the runtime it names (for the report's header).</summary>
    public async Task<string> Describe(TimeSpan timeout)
    {
        using var program = await ExternalProgram.Start(Name, StartCommand(Build()), timeout);
        return $"{program.Runtime} (bench/peers/{Folder})";
    }

    private string Build() => ExternalBuild.Ensure(Name, ExternalBuild.Sources(Folder), SourcePatterns, Tools, BuildCommand);

    private async Task<JsonDocument> Ask(string command, TimeSpan timeout)
    {
        _program ??= await ExternalProgram.Start(Name, StartCommand(Build()), timeout);
        try
        {
            return await _program.Ask(command, timeout);
        }
        catch
        {
            _program.Dispose();   // a program that failed to answer is not asked again
            _program = null;
            throw;
        }
    }

    private static long Ticks(long nanoseconds) => (long)Math.Round(nanoseconds * (Stopwatch.Frequency / 1e9));

    private static long Ticks(JsonElement root, string field) => Ticks(root.GetProperty(field).GetInt64());

    /// <summary>The answer's <c>latencies_ns</c>, one per request or round trip, as ticks, into the logs in turn.</summary>
    private void Latencies(JsonElement root, LatencyLog[] logs, string what)
    {
        var latencies = root.GetProperty("latencies_ns");
        int count = LatencyLog.Total(logs);
        if (latencies.GetArrayLength() != count)
            throw new InvalidOperationException($"{Name}: {latencies.GetArrayLength()} latencies for {count} {what}");
        int log = 0, i = 0;
        foreach (var ns in latencies.EnumerateArray())
        {
            while (i == logs[log].Count) (log, i) = (log + 1, 0);
            logs[log].Ticks[i++] = Ticks(ns.GetInt64());
        }
    }

    public override async Task<EchoRun> Echo(LatencyLog[] logs, TimeSpan timeout)
    {
        int requests = LatencyLog.Total(logs);
        using var answer = await Ask($"echo {requests} {logs.Length}", timeout);
        var root = answer.RootElement;
        Latencies(root, logs, "requests");
        return new EchoRun(Ticks(root, "elapsed_ns"), logs, root.GetProperty("exits").GetInt32(), requests);
    }

    public override async Task<long> Spawn(int children, int window, TimeSpan timeout)
    {
        using var answer = await Ask($"spawn {children} {window}", timeout);
        return Ticks(answer.RootElement, "elapsed_ns");
    }

    /// <summary>The program makes the same names ("idle-0" …) itself, before its baseline.</summary>
    public override async Task<IdleRun> Idle(string[] names, TimeSpan timeout)
    {
        using var answer = await Ask($"idle {names.Length}", timeout);
        var root = answer.RootElement;
        long Get(string field) => root.GetProperty(field).GetInt64();
        return new IdleRun((int)Get("count"), Stats.Seconds(Ticks(root, "spawn_ns")),
            Get("mem_before"), Get("mem_after"), Get("rss_before"), Get("rss_after"));
    }

    public override async Task<long> PingPong(int pairs, int window, int roundTrips, TimeSpan timeout)
    {
        using var answer = await Ask($"pingpong {pairs} {window} {roundTrips}", timeout);
        return Ticks(answer.RootElement, "elapsed_ns");
    }

    /// <summary>The program's answer: each round trip's nanoseconds, their sum, and how long its clock took for a number of reads.</summary>
    public override async Task<RoundTripRun> RoundTrip(LatencyLog log, TimeSpan timeout)
    {
        using var answer = await Ask($"roundtrip {log.Count}", timeout);
        var root = answer.RootElement;
        double clockNs = root.GetProperty("clock_reads_ns").GetInt64() / (double)root.GetProperty("clock_reads").GetInt64();
        Latencies(root, [log], "round trips");
        return new RoundTripRun(Ticks(root, "elapsed_ns"), log, clockNs);
    }

    public override async Task<(long Ticks, long Sum)> Skynet(int leaves, TimeSpan timeout)
    {
        using var answer = await Ask($"skynet {leaves}", timeout);
        return (Ticks(answer.RootElement, "elapsed_ns"), answer.RootElement.GetProperty("sum").GetInt64());
    }

    public override async Task<long> Fanout(int subscribers, int rounds, TimeSpan timeout)
    {
        using var answer = await Ask($"fanout {subscribers} {rounds}", timeout);
        return Ticks(answer.RootElement, "elapsed_ns");
    }
}
