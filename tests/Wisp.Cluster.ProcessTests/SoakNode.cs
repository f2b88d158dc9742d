using System.Globalization;
using Microsoft.Extensions.Logging;
using Wisp.Cluster.Tests;

namespace Wisp.Cluster.ProcessTests;

/// <summary>
/// One node of <see cref="ProcessSoakTests"/> as its own OS process: <c>dotnet Wisp.Cluster.ProcessTests.dll --node a
/// --listen HOST:PORT --seeds A,B,C --next b --pairs N --seconds S</c>. It joins the cluster, serves its pongers and
/// links its pingers to the next node's, prints <c>ready</c>, waits for <c>go</c> on standard input, then pings for S
/// seconds beside its own forced collections and prints one <c>report key=value …</c> line (and a <c>loss:</c> line
/// for each event a pinger heard). It exits when standard input closes, so it never outlives its test. Warnings of the
/// runtime and the cluster go to standard error.
/// </summary>
public static class SoakNode
{
    public static async Task<int> Main(string[] args)
    {
        var flags = Enumerable.Range(0, args.Length / 2).ToDictionary(i => args[2 * i].TrimStart('-'), i => args[2 * i + 1]);
        string name = flags["node"];
        var seeds = flags["seeds"].Split(',');
        int pairCount = int.Parse(flags["pairs"], CultureInfo.InvariantCulture);
        var length = TimeSpan.FromSeconds(int.Parse(flags["seconds"], CultureInfo.InvariantCulture));

        var allocated = Task.Run(() => new CollectedHeap());   // while the cluster forms
        using var logs = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning).AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        var node = new Node(ClusterNode.NodeOptions(name) with { LoggerFactory = logs });
        node.AddHost(PingPairs.HostId);
        await using var cluster = await ClusterNode.StartAsync(node, new ClusterOptions { NodeName = name, Listen = flags["listen"], Seeds = seeds });
        await ClusterHarness.Until(() => cluster.Peers.Count == seeds.Length - 1);

        var pairs = new PingPairs(node, pairCount);
        pairs.StartPongers();
        pairs.StartPingers(flags["next"]);
        await pairs.Linked.WaitAsync(ClusterHarness.Deadline);
        var heap = await allocated;
        Console.WriteLine($"ready node={name}");
        if (await Console.In.ReadLineAsync() != "go") return 1;

        await heap.CollectEverySecond(length);
        int stuck = await pairs.Stop(ClusterHarness.Deadline);
        foreach (var loss in pairs.Losses) Console.WriteLine($"loss: {loss}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"report node={name} round_trips={pairs.RoundTrips} fewest_pair_round_trips={pairs.FewestRoundTrips} " +
            $"forced_collections={heap.Collections} longest_collection_ms={heap.Longest.TotalMilliseconds:F0} " +
            $"losses_heard={pairs.Losses.Count} stuck_pairs={stuck} peers={cluster.Peers.Count} rejoins={cluster.Rejoins}"));

        while (await Console.In.ReadLineAsync() is not null) { }
        return 0;
    }
}
