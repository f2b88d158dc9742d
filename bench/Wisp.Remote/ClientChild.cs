using System.Diagnostics;
using System.Text.Json;

namespace Wisp.Remote;

/// <summary>
/// A client child: node A of one runtime runs one workload against node B and prints one <c>@@RESULT {json}</c> line
/// (its figures, or the error that stopped it), then leaves at once.
/// </summary>
public static class ClientChild
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(60);

    public static async Task<int> Run(RemoteRuntime runtime, Workload workload, int port, Sizes sizes)
    {
        var timeout = TimeSpan.FromSeconds(workload.TimeoutSeconds(sizes));
        var result = new Dictionary<string, object?> { ["runtime"] = runtime.Name, ["workload"] = workload.Id };
        try
        {
            var client = await runtime.Connect(port, sizes, ConnectTimeout);
            if (sizes.Warmup && workload.Warms) result["warmup_passes"] = await WarmUp(client, workload, sizes, timeout);
            var clock = Stopwatch.StartNew();
            result["metrics"] = await workload.Run(client, sizes, sent => Say($"{ChildProcess.ProgressPrefix}{sent}"), timeout);
            result["wall_s"] = clock.Elapsed.TotalSeconds;
        }
        catch (Exception e)
        {
            result["error"] = $"{e.GetType().Name}: {e.Message}";
        }
        result["peak_rss_mb"] = ProcMemory.PeakMb(Environment.ProcessId);
        Say(ChildProcess.ResultPrefix + JsonSerializer.Serialize(result));
        // Actor systems and nodes keep threads alive: leave at once, the result is out.
        Environment.Exit(result.ContainsKey("error") ? 1 : 0);
        return 0;
    }

    private static void Say(string line)
    {
        Console.Out.WriteLine(line);
        Console.Out.Flush();
    }

    /// <summary>
    /// Runs the workload at about a tenth of its size until the JIT has settled, as Wisp.Workloads does: tiered
    /// compilation promotes hot methods in the background once their tier-0 calls quiet down, so between passes the
    /// child idles 300 ms, and it stops once a pass compiles under 1 % more methods (at most 5 passes). Node B's code
    /// warms up with A's. The same rule holds for every runtime: what is measured is each one's steady state.
    /// </summary>
    private static async Task<int> WarmUp(IRemoteClient client, Workload workload, Sizes sizes, TimeSpan timeout)
    {
        const int MaxPasses = 5;
        long compiled = -1;
        for (int pass = 1; ; pass++)
        {
            await workload.Run(client, sizes.ForWarmup(), _ => { }, timeout);
            await Task.Delay(300);
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);   // the measure does not start with the warm-up's garbage
            long now = System.Runtime.JitInfo.GetCompiledMethodCount();
            if (now - compiled < now / 100 || pass == MaxPasses) return pass;
            compiled = now;
        }
    }
}
