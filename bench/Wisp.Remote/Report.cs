using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text;
using Wisp.Cluster;
using Wisp.Workloads;

namespace Wisp.Remote;

/// <summary>
/// The run's report, as Wisp.Workloads writes it: the machine and the load average at the start and the end, the
/// median of each figure over the launches with its range and Wisp's ratio to each peer, issue 9's targets against
/// Wisp's medians, and every launch.
/// </summary>
public sealed class Report(Options options, string[] rawArgs)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly Dictionary<string, string> Names = new() { ["wisp"] = "Wisp", ["akka"] = "Akka.NET remote", ["proto"] = "Proto.Remote" };

    public string Header { get; } = MachineReport(options, rawArgs);

    public string ProgressLine(LaunchResult r, Workload w, int launches)
    {
        string what = r.Error is not null ? $"FAILED: {r.Error}"
            : string.Join(", ", w.Metrics.Where(m => r.Metrics.ContainsKey(m.Key)).Select(m => $"{m.Label} {MedianTable.Format(r.Metrics[m.Key], m)}"));
        return $"  [{w.Id} {r.Launch}/{launches}] {r.Runtime,-5} {what}  ({r.WallSeconds:F1} s)";
    }

    /// <summary>The whole report in markdown, once every launch has run.</summary>
    public string Finish(IReadOnlyList<LaunchResult> results)
    {
        var sb = new StringBuilder();
        sb.AppendLine("```").AppendLine(Header.TrimEnd()).AppendLine($"load avg:  {Machine.LoadAverage()} (at the end)").AppendLine("```").AppendLine();
        sb.AppendLine(Table(results)).AppendLine();
        foreach (var w in options.Workloads) sb.AppendLine($"- `{w.Id}`: {w.Title}");
        sb.AppendLine();
        if (options.Runtimes.Any(r => r.Name == "wisp")) sb.AppendLine(Targets(results)).AppendLine();
        sb.AppendLine(EveryLaunch(results));
        return sb.ToString();
    }

    private string Table(IReadOnlyList<LaunchResult> results) =>
        MedianTable.Markdown(options.Runtimes.Select(r => r.Name).ToList(), rt => Names[rt],
            options.Workloads.Select(w => (w.Id, (IEnumerable<Metric>)w.Metrics)),
            (rt, w, key) => Values(results.Where(r => r.Runtime == rt && r.Workload == w), key),
            (rt, w) => results.Count(r => r.Runtime == rt && r.Workload == w && r.Error is not null))
        + "\nCells: median of the launches (min–max); a failed launch counts only in the RSS rows, which it reached before it was killed. "
        + "Ratio = how many times better Wisp is (>1: Wisp ahead), from the medians.";

    private static List<double> Values(IEnumerable<LaunchResult> launches, string key) =>
        launches.Where(r => r.Metrics.ContainsKey(key)).Select(r => r.Metrics[key]).Where(v => !double.IsNaN(v)).ToList();

    /// <summary>Issue 9's targets against Wisp's medians.</summary>
    private string Targets(IReadOnlyList<LaunchResult> results)
    {
        var wisp = results.Where(r => r.Runtime == "wisp").ToList();
        double Median(string workload, string key) => Stats.Median(Values(wisp.Where(r => r.Workload == workload && r.Error is null), key));
        var sb = new StringBuilder("| Issue 9's target | Wisp (median) | Met? |\n|---|---|---|\n");
        void Row(string target, double value, string unit, Func<double, bool> met)
        {
            string shown = double.IsNaN(value) ? "not measured" : MedianTable.Format(value, new Metric("", "", true, unit));
            sb.AppendLine($"| {target} | {shown} | {(double.IsNaN(value) ? "–" : met(value) ? "met" : "**not met**")} |");
        }
        Row("one-way A → B, 64-byte payloads, pipelined: ≥ 1M msgs/s", Median("oneway", "msgs_per_s"), "/s", v => v >= 1_000_000);
        Row("echo across nodes, sequential: p50 ≤ 250 µs", Median("echo-seq", "p50_us"), "µs", v => v <= 250);
        Row("echo across nodes, sequential: p99 ≤ 2 ms", Median("echo-seq", "p99_us"), "µs", v => v <= 2_000);
        Row("echo across nodes, 16 concurrent requesters: ≥ 50k req/s", Median("echo-16", "req_per_s"), "/s", v => v >= 50_000);

        // The sender's memory: what Wisp lets wait for one node is the credit window plus the queue bound; a
        // garbage-collected heap holds up to about twice what is live, over the node's own footprint (A's peak in oneway).
        var defaults = new ClusterOptions { NodeName = "a", Listen = "127.0.0.1:0" };
        long queue = options.Sizes.WispQueueMb > 0 ? (long)options.Sizes.WispQueueMb << 20 : defaults.MaxQueuedBytes;
        double boundMb = (defaults.WindowBytes + queue) / 1048576.0;
        double baseline = Median("oneway", Workload.ClientPeak.Key);
        var push = wisp.Where(r => r.Workload == "push").ToList();
        double peak = Stats.Median(Values(push, Workload.ClientPeak.Key));
        bool delivered = push.Count > 0 && push.All(r => r.Error is null && r.Metrics.GetValueOrDefault("lost", 1) == 0);
        string limit = double.IsNaN(baseline) ? "(run oneway too for the baseline)" : $"≤ {baseline + 2 * boundMb:F0} MB";
        Row($"push: A's peak RSS bounded by the window ({defaults.WindowBytes >> 20} MiB) and the queue bound ({queue >> 20} MiB): " +
            $"A's oneway peak + 2 × {boundMb:F0} MiB {limit}, every message delivered", peak, "MB",
            v => delivered && !double.IsNaN(baseline) && v <= baseline + 2 * boundMb);
        return sb.ToString();
    }

    private static string EveryLaunch(IReadOnlyList<LaunchResult> results)
    {
        var sb = new StringBuilder("<details><summary>Every launch</summary>\n\n| Workload | Runtime | Launch | Figures | Wall s |\n|---|---|---|---|---|\n");
        foreach (var r in results)
        {
            string figures = string.Join(", ", r.Metrics.Select(kv => $"{kv.Key}={kv.Value.ToString(Math.Abs(kv.Value) >= 100 ? "F0" : "F2", Inv)}"));
            if (r.Error is not null) figures = $"FAILED: {r.Error}; {figures}";
            sb.AppendLine($"| {r.Workload} | {r.Runtime} | {r.Launch} | {figures.Replace("|", "/")} | {r.WallSeconds.ToString("F1", Inv)} |");
        }
        return sb.AppendLine().Append("</details>").ToString();
    }

    private static string MachineReport(Options options, string[] rawArgs)
    {
        string cpu = "unknown", ram = "unknown";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
            var mem = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            ram = $"{long.Parse(mem[9..].Trim().Split(' ')[0], Inv) / 1048576.0:F1} GiB";
        }
        catch (Exception e) when (e is IOException or InvalidOperationException) { }
        var s = options.Sizes;
        bool optimized = typeof(Report).Assembly.GetCustomAttribute<DebuggableAttribute>() is not { IsJITOptimizerDisabled: true };
        var sb = new StringBuilder();
        sb.AppendLine("Wisp across two nodes: Wisp vs Akka.NET remote vs Proto.Remote, node A and node B two OS processes on loopback");
        sb.AppendLine($"command:   Wisp.Remote {string.Join(' ', rawArgs)}");
        sb.AppendLine($"date:      {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
        sb.AppendLine($"machine:   {cpu}; {Environment.ProcessorCount} logical cores (both nodes share them); {ram} RAM");
        sb.AppendLine($"os:        {RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})");
        sb.AppendLine($".net:      {RuntimeInformation.FrameworkDescription}; build {(optimized ? "Release" : "DEBUG (numbers are meaningless)")}; " +
                      $"gc server={GCSettings.IsServerGC}, concurrent={AppContext.TryGetSwitch("System.GC.Concurrent", out var c) && c} (the children's too)");
        sb.AppendLine($"versions:  Wisp {WispCommit()}; Akka {Version(typeof(Akka.Actor.ActorSystem))} + Akka.Remote {Version(typeof(Akka.Remote.RemoteSettings))}; " +
                      $"Proto.Actor {Version(typeof(Proto.ActorSystem))} + Proto.Remote {Version(typeof(Proto.Remote.RemoteConfig))}");
        sb.AppendLine($"load avg:  {Machine.LoadAverage()} (at the start; other work on the machine skews figures)");
        sb.AppendLine($"launches:  {options.Launches} per workload and runtime (push: {options.PushLaunches}), the runtimes' order rotating; " +
                      $"warm-up in each client: {(s.Warmup ? "≈1/10-size passes until the JIT settles (2–5)" : "no")}");
        sb.AppendLine($"runtimes:  {string.Join(", ", options.Runtimes.Select(r => r.Name))}");
        sb.AppendLine($"workloads: {string.Join(", ", options.Workloads.Select(w => w.Id))}");
        sb.AppendLine($"sizes:     oneway {s.OneWayMessages:N0} messages; echo-seq {s.EchoRequests:N0} requests; echo-16 {s.EchoConcurrentRequests:N0} requests; " +
                      $"push {s.PushMessages:N0} messages{(s.WispQueueMb > 0 ? $" (Wisp's queue bound on A {s.WispQueueMb} MiB)" : "")}; payload {Payload.Size} bytes; timeout {s.TimeoutSeconds} s (push {s.PushTimeoutSeconds} s); memory cap {options.MemoryCapMb} MB a child");
        return sb.ToString();
    }

    private static string Version(Type t) =>
        (t.Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? t.Assembly.GetName().Version?.ToString() ?? "?").Split('+')[0];

    /// <summary>The repository's commit (with "-dirty" when the tree has changes), or "unknown" outside a checkout.</summary>
    private static string WispCommit()
    {
        try
        {
            var psi = new ProcessStartInfo("git", "describe --always --dirty") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.WorkingDirectory = Path.GetDirectoryName(typeof(Report).Assembly.Location)!;
            using var git = Process.Start(psi)!;
            string commit = git.StandardOutput.ReadToEnd().Trim();
            return git.WaitForExit(5000) && git.ExitCode == 0 && commit.Length > 0 ? "commit " + commit : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }
}
