using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Wisp.Workloads;

public static class Program
{
    private const string ResultPrefix = "@@RESULT ";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static RuntimeBench[] Runtimes =>
    [
        new WispBench(),
        new AkkaBench(),
        new AkkaBench(tuned: true),
        new ProtoBench(),
        new ProtoBench(tuned: true),
        new LuaBench(),
        .. ExternalPeers.Installed,
    ];

    /// <summary>How the report names each runtime.</summary>
    public static readonly Dictionary<string, string> DisplayNames = new()
    {
        ["wisp"] = "Wisp",
        ["akka"] = "Akka.NET",
        ["akka-tuned"] = "Akka.NET tuned",
        ["proto"] = "Proto.Actor",
        ["proto-tuned"] = "Proto.Actor tuned",
        ["wisp-lua"] = "Wisp (Lua)",
        ["go"] = "Go",
        ["erlang"] = "Erlang/OTP",
    };

    public static async Task<int> Main(string[] args)
    {
        if (Options.Parse(args, out int exitCode) is not { } options) return exitCode;
        if (BuildCheck.Unoptimised() is { Count: > 0 } debug)
        {
            Console.Error.WriteLine($"error: not an optimised build: {BuildCheck.Names(debug)} (the JIT optimiser is disabled, figures would be meaningless); " +
                                    "build with -c Release");
            return 3;
        }
        if (options.SingleRuntime is { } runtime) return await RunSingle(runtime, options.SingleWorkload!, options.Sizes, options.SampleAllocations);
        return await Orchestrate(options, args);
    }

    // ---- child: one runtime, one workload, one launch ----

    private static async Task<int> RunSingle(string runtimeName, string workloadId, Sizes sizes, bool sampleAllocations)
    {
        var runtime = Runtimes.FirstOrDefault(r => r.Name == runtimeName) ?? throw new ArgumentException($"unknown runtime {runtimeName}");
        var workload = Workload.Find(workloadId) ?? throw new ArgumentException($"unknown workload {workloadId}");
        var timeout = TimeSpan.FromSeconds(sizes.TimeoutSeconds);
        var result = new Dictionary<string, object?> { ["runtime"] = runtimeName, ["workload"] = workloadId };
        try
        {
            result["warmup_passes"] = sizes.Warmup && workload.Warms ? await WarmUp(runtime, workload, sizes, timeout) : 0;
            var run = workload.Prepare(sizes);
            // Every runtime's launch alike: the warm-up's garbage is not collected during the measure (a gen-2
            // collection of it stalled every echo request in flight for 4-5 ms), and what Prepare made is old already.
            Memory.Settle();
            var gcBefore = GcCounts();
            long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var pauseBefore = GC.GetTotalPauseDuration();
            var cpuBefore = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
            using var sampler = sampleAllocations ? new AllocationSampler() : null;
            var sw = Stopwatch.StartNew();
            result["metrics"] = await run(runtime, timeout);
            result["wall_s"] = sw.Elapsed.TotalSeconds;
            if (sampler is not null) result["allocations_mib_sampled"] = sampler.Top(20);
            result["gc_measured"] = GcCounts().Zip(gcBefore, (after, before) => after - before).ToArray();
            // A runtime in another OS process (Go, Erlang) collects and spends its CPU there: this process's figures would be the driver's.
            if (runtime is not ExternalBench)
            {
                result["gc_pause_ms"] = (GC.GetTotalPauseDuration() - pauseBefore).TotalMilliseconds;
                result["cpu_ms"] = (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds;
                result["allocated_mb"] = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / 1048576.0;
            }
        }
        catch (Exception e)
        {
            result["error"] = $"{e.GetType().Name}: {e.Message}";
        }
        result["peak_rss_mb"] = PeakRssMb();
        Console.Out.WriteLine(ResultPrefix + JsonSerializer.Serialize(result));
        Console.Out.Flush();
        // Actor systems and idle processes may keep threads alive: leave at once, the result is out.
        Environment.Exit(result.ContainsKey("error") ? 1 : 0);
        return 0;
    }

    /// <summary>
    /// Runs the warm-up pass until the JIT has settled: tiered compilation promotes hot methods in the background
    /// some 100 ms after their tier-0 calls stop, so a measure taken right after one short pass would time
    /// partly unoptimised code (skynet ran 1.2 s instead of 0.8 s). Between passes the child idles long enough
    /// for the tier-1 queue to drain, and stops once a pass compiles under 1 % more methods (at most 5 passes). The same
    /// rule applies to every runtime: what is measured is each one's steady state.
    /// </summary>
    private static async Task<int> WarmUp(RuntimeBench runtime, Workload workload, Sizes sizes, TimeSpan timeout)
    {
        const int MaxPasses = 5;
        long compiled = -1;
        for (int pass = 1; ; pass++)
        {
            await workload.Prepare(sizes.ForWarmup())(runtime, timeout);
            await Task.Delay(300);
            Memory.SettledHeap();
            long now = System.Runtime.JitInfo.GetCompiledMethodCount();
            if (now - compiled < now / 100 || pass == MaxPasses) return pass;
            compiled = now;
        }
    }

    /// <summary>Collections of generations 0, 1 and 2 so far (a gen-2 collection counts in all three).</summary>
    private static int[] GcCounts() => [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];

    private static double PeakRssMb()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line[6..].Trim().Split(' ')[0], Inv) / 1024.0;
        }
        catch (IOException) { }
        return double.NaN;
    }

    // ---- parent: every launch of every workload on every runtime ----

    /// <summary>One child's result: <paramref name="Gc"/> counts the collections of each generation during the measured pass.</summary>
    private sealed record LaunchResult(string Runtime, string Workload, int Launch, Dictionary<string, double>? Metrics, string? Error, double WallSeconds, double PeakRssMb,
        int? WarmupPasses = null, int[]? Gc = null, double? GcPauseMs = null, double? CpuMs = null, double? AllocatedMb = null);

    private static async Task<int> Orchestrate(Options options, string[] rawArgs)
    {
        var header = MachineReport(options, rawArgs);
        Console.WriteLine(header);
        var results = new List<LaunchResult>();
        var total = Stopwatch.StartNew();
        int round = 0;
        foreach (var workload in options.Workloads)
        {
            int launches = workload.SingleLaunch ? Math.Min(options.Launches, options.BigLaunches) : options.Launches;
            for (int launch = 1; launch <= launches; launch++, round++)
            {
                // Each round starts with the next runtime, so none is always the one run after a given other.
                var runtimes = options.Runtimes;
                int first = round % runtimes.Count;
                foreach (var runtime in runtimes.Skip(first).Concat(runtimes.Take(first)))
                {
                    var r = await LaunchChild(runtime, workload, launch, options);
                    results.Add(r);
                    Console.WriteLine(ProgressLine(r, workload, launches));
                }
            }
        }
        string loadAfter = LoadAverage();
        var table = Table(results, options);
        Console.WriteLine();
        Console.WriteLine(table);
        Console.WriteLine($"total wall time {total.Elapsed.TotalSeconds:F0} s; load average after: {loadAfter}");
        if (options.MarkdownPath is { } md)
        {
            var sb = new StringBuilder();
            sb.AppendLine("```").AppendLine(header.TrimEnd()).AppendLine($"load average after: {loadAfter}").AppendLine("```").AppendLine();
            sb.AppendLine(table).AppendLine();
            sb.AppendLine(RawTable(results));
            File.WriteAllText(md, sb.ToString());
            Console.WriteLine($"markdown written to {md}");
        }
        if (options.JsonPath is { } json)
            File.WriteAllText(json, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
        bool failed = results.Any(r => r.Error is not null);
        if (failed) Console.WriteLine("some launches FAILED (see the table)");
        return failed ? 1 : 0;
    }

    private static async Task<LaunchResult> LaunchChild(RuntimeBench runtime, Workload workload, int launch, Options options)
    {
        var self = Environment.ProcessPath!;
        var psi = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") psi.ArgumentList.Add(typeof(Program).Assembly.Location);
        psi.ArgumentList.Add("--single");
        psi.ArgumentList.Add(runtime.Name);
        psi.ArgumentList.Add(workload.Id);
        psi.ArgumentList.Add("--sizes-json");
        psi.ArgumentList.Add(JsonSerializer.Serialize(options.Sizes));
        if (options.ServerGc) psi.Environment["DOTNET_gcServer"] = "1";

        var sw = Stopwatch.StartNew();
        using var child = Process.Start(psi)!;
        var stdout = child.StandardOutput.ReadToEndAsync();
        var stderr = child.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(options.Sizes.TimeoutSeconds + 60));
        try
        {
            await child.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            child.Kill(entireProcessTree: true);
            return new LaunchResult(runtime.Name, workload.Id, launch, null, "timed out (killed)", sw.Elapsed.TotalSeconds, double.NaN);
        }
        string output = await stdout;
        string errors = await stderr;
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal));
        if (line is null)
        {
            string tail = string.Join(" | ", (errors + output).Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(3));
            return new LaunchResult(runtime.Name, workload.Id, launch, null, $"no result (exit {child.ExitCode}): {tail}", sw.Elapsed.TotalSeconds, double.NaN);
        }
        using var doc = JsonDocument.Parse(line[ResultPrefix.Length..]);
        var root = doc.RootElement;
        string? error = root.TryGetProperty("error", out var e) ? e.GetString() : null;
        Dictionary<string, double>? metrics = null;
        if (root.TryGetProperty("metrics", out var m))
            metrics = m.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetDouble() : double.NaN);
        double peak = root.TryGetProperty("peak_rss_mb", out var pk) && pk.ValueKind == JsonValueKind.Number ? pk.GetDouble() : double.NaN;
        int? passes = root.TryGetProperty("warmup_passes", out var wp) ? wp.GetInt32() : null;
        int[]? gc = root.TryGetProperty("gc_measured", out var g) ? [.. g.EnumerateArray().Select(c => c.GetInt32())] : null;
        double? pause = root.TryGetProperty("gc_pause_ms", out var gp) ? gp.GetDouble() : null;
        double? cpu = root.TryGetProperty("cpu_ms", out var c) ? c.GetDouble() : null;
        double? allocated = root.TryGetProperty("allocated_mb", out var a) ? a.GetDouble() : null;
        return new LaunchResult(runtime.Name, workload.Id, launch, metrics, error, sw.Elapsed.TotalSeconds, peak, passes, gc, pause, cpu, allocated);
    }

    private static string ProgressLine(LaunchResult r, Workload w, int launches)
    {
        string what = r.Error is not null ? $"FAILED: {r.Error}"
            : string.Join(", ", w.Metrics.Where(m => r.Metrics!.ContainsKey(m.Key)).Select(m => $"{m.Label} {MedianTable.Format(r.Metrics![m.Key], m)}"));
        return $"  [{w.Id} {r.Launch}/{launches}] {r.Runtime,-11} {what}  ({r.WallSeconds:F1} s, peak RSS {r.PeakRssMb:F0} MB, " +
               $"warm-up passes {r.WarmupPasses?.ToString(Inv) ?? "?"}, GC {GcText(r.Gc)} pausing {Ms(r.GcPauseMs)}, {Mb(r.AllocatedMb)} allocated and CPU {Ms(r.CpuMs)} in the measure)";
    }

    private static string GcText(int[]? gc) => gc is null ? "?" : string.Join('/', gc);

    private static string Ms(double? ms) => ms is { } v ? v.ToString("F0", Inv) + " ms" : "?";

    private static string Mb(double? mb) => mb is { } v ? v.ToString("F0", Inv) + " MiB" : "?";

    // ---- report ----

    private static string Table(List<LaunchResult> results, Options options) =>
        MedianTable.Markdown(options.Runtimes.Select(r => r.Name).ToList(), rt => DisplayNames[rt],
            options.Workloads.Select(w => (w.Id, (IEnumerable<Metric>)w.Metrics)),
            (rt, w, key) => results.Where(r => r.Runtime == rt && r.Workload == w && r.Metrics is not null && r.Metrics.ContainsKey(key))
                .Select(r => r.Metrics![key]).ToList(),
            (rt, w) => results.Count(r => r.Runtime == rt && r.Workload == w && r.Error is not null))
        + "\nCells: median of the launches (min–max). Ratio = how many times better Wisp is (>1: Wisp ahead, <1: behind), from the medians.\n";

    private static string RawTable(List<LaunchResult> results)
    {
        var sb = new StringBuilder();
        sb.AppendLine("<details><summary>Every launch</summary>").AppendLine();
        sb.AppendLine("| Workload | Runtime | Launch | Figures | Warm-up passes | GC 0/1/2 in the measure | Allocated MiB in the measure | Wall s | Peak RSS MB |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            string figures = r.Error ?? string.Join(", ", r.Metrics!.Select(kv => $"{kv.Key}={kv.Value.ToString(Math.Abs(kv.Value) >= 100 ? "F0" : "F2", Inv)}"));
            sb.AppendLine($"| {r.Workload} | {r.Runtime} | {r.Launch} | {figures} | {r.WarmupPasses?.ToString(Inv) ?? "?"} | {GcText(r.Gc)} | {r.AllocatedMb?.ToString("F0", Inv) ?? "?"} | " +
                          $"{r.WallSeconds.ToString("F1", Inv)} | {r.PeakRssMb.ToString("F0", Inv)} |");
        }
        sb.AppendLine().AppendLine("</details>");
        return sb.ToString();
    }


    private static string MachineReport(Options options, string[] rawArgs)
    {
        string cpu = "unknown";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        }
        catch (IOException) { }
        string ram = "unknown";
        try
        {
            var mem = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            ram = $"{long.Parse(mem[9..].Trim().Split(' ')[0], Inv) / 1048576.0:F1} GiB";
        }
        catch (Exception e) when (e is IOException or InvalidOperationException) { }
        var s = options.Sizes;
        static string Version(Type t) =>
            (t.Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
                is [System.Reflection.AssemblyInformationalVersionAttribute { InformationalVersion: var v }, ..] ? v : t.Assembly.GetName().Version?.ToString() ?? "?")
            .Split('+')[0];
        var sb = new StringBuilder();
        sb.AppendLine("Wisp workloads: Wisp vs Akka.NET vs Proto.Actor, each launch a separate child process");
        sb.AppendLine($"command:   Wisp.Workloads {string.Join(' ', rawArgs)}");
        sb.AppendLine($"date:      {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
        sb.AppendLine($"machine:   {cpu}; {Environment.ProcessorCount} logical cores; {ram} RAM");
        sb.AppendLine($"os:        {RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})");
        sb.AppendLine($".net:      {RuntimeInformation.FrameworkDescription}");
        sb.AppendLine($"builds:    optimised (JIT optimiser on): {BuildCheck.Names(BuildCheck.Measured)}");
        sb.AppendLine($"gc:        {(options.ServerGc ? "server" : "workstation")}, concurrent={AppContext.TryGetSwitch("System.GC.Concurrent", out var c) && c}; " +
                      $"(this process: server={GCSettings.IsServerGC}, latency={GCSettings.LatencyMode})");
        sb.AppendLine($"peers:     Akka {Version(typeof(Akka.Actor.ActorSystem))}, Proto.Actor {Version(typeof(Proto.ActorSystem))}; akka, proto: default configurations; " +
                      "akka-tuned: dispatcher throughput 300, IIndirectActorProducer, idle actors under one parent; " +
                      "proto-tuned: no start deadline, LockingUnboundedMailboxQueue(4) mailboxes for the actors made in numbers");
        sb.Append(ExternalPeers.Report(options.Runtimes));
        sb.AppendLine($"load avg:  {LoadAverage()} (at start; other work on the machine skews figures)");
        sb.AppendLine($"launches:  {options.Launches} per workload and runtime (idle-1m: {Math.Min(options.Launches, options.BigLaunches)}), the runtimes' order rotating by one each round; " +
                      $"warm-up in each launch: {(s.Warmup ? "≈1/10-size passes until the JIT settles (2–5)" : "no")}");
        sb.AppendLine($"runtimes:  {string.Join(", ", options.Runtimes.Select(r => r.Name))}");
        sb.AppendLine($"workloads: {string.Join(", ", options.Workloads.Select(w => w.Id))}");
        sb.AppendLine($"sizes:     echo-seq {s.EchoRequests:N0} requests; echo-16/256 {s.EchoConcurrentRequests:N0} requests; spawn {s.SpawnChildren:N0} children (window {s.SpawnWindow:N0}); " +
                      $"idle {s.IdleProcesses:N0}; idle-1m {s.IdleBigProcesses:N0}; ping-pong {s.PingPongPairs} pairs × window {s.PingPongWindow} × {s.PingPongRoundTrips:N0} round trips; " +
                      $"roundtrip {s.RoundTrips:N0} (window 1); skynet {s.Skynet:N0} leaves; fan-out 1 → {s.FanoutSubscribers:N0} × {s.FanoutRounds:N0} rounds; timeout {s.TimeoutSeconds} s");
        return sb.ToString();
    }

    private static string LoadAverage()
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
