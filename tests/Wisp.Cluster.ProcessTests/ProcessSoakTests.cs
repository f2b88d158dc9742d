using System.Globalization;
using System.Text.RegularExpressions;
using Wisp.Cluster.Tests;
using Xunit.Abstractions;

namespace Wisp.Cluster.ProcessTests;

/// <summary>
/// Three nodes, each its own OS process (<see cref="SoakNode"/>), at load with forced full collections: each node's
/// pingers ping, monitor and link pongers on the next node while a live heap of about 300 MiB is collected and
/// compacted every second in that node's process, so one node pauses while its peers keep going. No pinger hears a
/// node lost (no false down), every pair makes progress, and every node still sees the other two at the end.
/// <c>WISP_SOAK_SECONDS</c> sets the length (8 s by default; docs/reliability.md records 10 minutes).
/// </summary>
public class ProcessSoakTests(ITestOutputHelper output)
{
    private const int PairsPerNode = 20;
    private static readonly string[] Names = ["a", "b", "c"];
    private static readonly Regex Report = new(@"^report node=\S+(?: (?<key>\w+)=(?<value>\d+))+$");

    private static TimeSpan Length =>
        TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("WISP_SOAK_SECONDS"), out var s) && s > 0 ? s : 8);

    [Fact]
    public async Task Three_node_processes_each_paused_by_its_own_collections_never_falsely_lose_each_other()
    {
        var addresses = ClusterHarness.FreePorts(Names.Length).Select(p => $"127.0.0.1:{p}").ToArray();
        var nodes = new List<NodeProcess>();
        try
        {
            for (int i = 0; i < Names.Length; i++)
                nodes.Add(NodeProcess.Start(Names[i], "--listen", addresses[i], "--seeds", string.Join(',', addresses),
                    "--next", Names[(i + 1) % Names.Length], "--pairs", $"{PairsPerNode}", "--seconds", $"{Length.TotalSeconds}"));
            foreach (var node in nodes) await node.Line(new Regex("^ready "), 2 * ClusterHarness.Deadline);
            foreach (var node in nodes) node.WriteLine("go");

            long total = 0;
            foreach (var node in nodes)
            {
                var report = await node.Line(Report, Length + 2 * ClusterHarness.Deadline);
                output.WriteLine(report.Value);
                var figures = report.Groups["key"].Captures.Zip(report.Groups["value"].Captures)
                    .ToDictionary(f => f.First.Value, f => long.Parse(f.Second.Value, CultureInfo.InvariantCulture));
                string why = $"node {node.Name}: {report.Value}\n{node.Transcript}";
                Assert.True(figures["losses_heard"] == 0, $"a pinger heard a node lost (a false down). {why}");
                Assert.True(figures["stuck_pairs"] == 0, $"a pinger never had its last pong. {why}");
                Assert.True(figures["fewest_pair_round_trips"] > 0, $"a pair made no round trip. {why}");
                Assert.True(figures["forced_collections"] > 0, $"no forced collection ran. {why}");
                Assert.True(figures["peers"] == Names.Length - 1 && figures["rejoins"] == 0, $"the node lost sight of a peer. {why}");
                total += figures["round_trips"];
            }
            output.WriteLine($"{total} cross-node round trips in {Length} on {Names.Length} node processes");
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
        }
    }
}
