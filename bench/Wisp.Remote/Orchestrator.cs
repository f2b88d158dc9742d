using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Wisp.Remote;

/// <summary>One launch of one workload on one runtime: its figures (both children's peak RSS even when it failed) or why it failed.</summary>
public sealed record LaunchResult(string Runtime, string Workload, int Launch, Dictionary<string, double> Metrics, string? Error, double WallSeconds);

/// <summary>
/// Runs every launch: per workload, per launch, each runtime in turn (the order rotates between launches, so a burst of
/// other load on the machine does not always hit the same runtime), node B as a server child on a free loopback port
/// and node A as a client child. While A runs, both children's memory is sampled every 100 ms: a child past the
/// memory cap, or a client past its deadline, is killed and its launch fails; B is stopped when A is done.
/// </summary>
public static class Orchestrator
{
    private static readonly TimeSpan ServerStart = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(100);

    public static async Task<int> Run(Options options, string[] rawArgs)
    {
        var report = new Report(options, rawArgs);
        Console.WriteLine(report.Header);
        var results = new List<LaunchResult>();
        foreach (var workload in options.Workloads)
        {
            int launches = workload.Heavy ? options.PushLaunches : options.Launches;
            for (int launch = 1; launch <= launches; launch++)
            {
                foreach (var runtime in Rotate(options.Runtimes, launch - 1))
                {
                    var result = await RunPair(runtime, workload, launch, options);
                    results.Add(result);
                    Console.WriteLine(report.ProgressLine(result, workload, launches));
                }
            }
        }
        var markdown = report.Finish(results);
        Console.WriteLine();
        Console.WriteLine(markdown);
        if (options.MarkdownPath is { } md)
        {
            File.WriteAllText(md, markdown);
            Console.WriteLine($"markdown written to {md}");
        }
        if (options.JsonPath is { } json)
            File.WriteAllText(json, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
        bool failed = results.Any(r => r.Error is not null);
        if (failed) Console.WriteLine("some launches FAILED (see the table)");
        return failed ? 1 : 0;
    }

    private static IEnumerable<T> Rotate<T>(IReadOnlyList<T> items, int by) =>
        Enumerable.Range(0, items.Count).Select(i => items[(i + by) % items.Count]);

    private static async Task<LaunchResult> RunPair(RemoteRuntime runtime, Workload workload, int launch, Options options)
    {
        var clock = Stopwatch.StartNew();
        var sizes = JsonSerializer.Serialize(options.Sizes);
        var port = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var figures = new Dictionary<string, double>();
        LaunchResult Result(string? error) => new(runtime.Name, workload.Id, launch, figures, error, clock.Elapsed.TotalSeconds);

        using var server = ChildProcess.Start(["--server", runtime.Name, "--port", port, "--sizes-json", sizes]);
        if (await WaitReady(server) is { } notReady) return Result(notReady);

        using var client = ChildProcess.Start(["--client", runtime.Name, workload.Id, "--port", port, "--sizes-json", sizes]);
        var (resultLine, failure) = await Watch(client, server, workload, options, figures);
        RaisePeak(figures, Workload.ServerPeak.Key, ProcMemory.PeakMb(server.Id));
        server.CloseInput();
        await server.WaitForExit(TimeSpan.FromSeconds(5));
        if (failure is not null) return Result(failure);
        if (resultLine is null) return Result($"no result ({client.Tail()})");

        using var doc = JsonDocument.Parse(resultLine[ChildProcess.ResultPrefix.Length..]);
        var root = doc.RootElement;
        if (root.TryGetProperty("metrics", out var m))
            foreach (var p in m.EnumerateObject())
                figures[p.Name] = p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetDouble() : double.NaN;
        if (root.TryGetProperty("peak_rss_mb", out var own) && own.ValueKind == JsonValueKind.Number)
            RaisePeak(figures, Workload.ClientPeak.Key, own.GetDouble());
        return Result(root.TryGetProperty("error", out var e) ? e.GetString() : null);
    }

    /// <summary>Null once the server printed its ready line; else why it did not.</summary>
    private static async Task<string?> WaitReady(ChildProcess server)
    {
        using var deadline = new CancellationTokenSource(ServerStart);
        try
        {
            string? line;
            do line = await server.ReadLine(deadline.Token);
            while (line is not null && line != ChildProcess.ReadyLine);
            return line is null ? $"node B did not start ({server.Tail()})" : null;
        }
        catch (OperationCanceledException)
        {
            return $"node B was not ready within {ServerStart.TotalSeconds:F0} s ({server.Tail()})";
        }
    }

    /// <summary>
    /// Reads the client's lines until it ends, sampling both children's memory; returns its result line, or why it
    /// was killed (the memory cap, the deadline). Records both children's peak RSS in <paramref name="figures"/>.
    /// </summary>
    private static async Task<(string? Result, string? Failure)> Watch(ChildProcess client, ChildProcess server, Workload workload, Options options, Dictionary<string, double> figures)
    {
        int timeout = workload.TimeoutSeconds(options.Sizes);
        var deadline = TimeSpan.FromSeconds(60 + timeout * (options.Sizes.Warmup && workload.Warms ? 6 : 1) + 30);
        var clock = Stopwatch.StartNew();
        string? result = null;
        string sent = "none reported";
        var reading = client.ReadLine(CancellationToken.None);
        while (true)
        {
            if (await Task.WhenAny(reading, Task.Delay(SampleEvery)) == reading)
            {
                var line = await reading;
                if (line is null) return (result, null);
                if (line.StartsWith(ChildProcess.ResultPrefix, StringComparison.Ordinal)) result = line;
                else if (line.StartsWith(ChildProcess.ProgressPrefix, StringComparison.Ordinal)) sent = line[ChildProcess.ProgressPrefix.Length..];
                reading = client.ReadLine(CancellationToken.None);
            }
            RaisePeak(figures, Workload.ClientPeak.Key, ProcMemory.PeakMb(client.Id));
            RaisePeak(figures, Workload.ServerPeak.Key, ProcMemory.PeakMb(server.Id));
            foreach (var (side, child) in new[] { ("A", client), ("B", server) })
            {
                double rss = ProcMemory.RssMb(child.Id);
                if (rss > options.MemoryCapMb)
                {
                    client.Kill();
                    server.Kill();
                    return (null, $"killed: {side}'s RSS {rss:F0} MB passed the cap of {options.MemoryCapMb} MB (sends so far: {sent})");
                }
            }
            if (clock.Elapsed > deadline)
            {
                client.Kill();
                return (null, $"timed out after {deadline.TotalSeconds:F0} s, killed (sends so far: {sent}; {client.Tail()})");
            }
        }
    }

    /// <summary>Keeps the highest peak seen (a child that has ended reads as NaN and changes nothing).</summary>
    private static void RaisePeak(Dictionary<string, double> figures, string key, double mb)
    {
        if (!double.IsNaN(mb) && (!figures.TryGetValue(key, out var seen) || mb > seen)) figures[key] = mb;
    }

    /// <summary>A loopback port free now (the server binds it a moment later).</summary>
    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
