using System.Diagnostics;
using Wisp;
using Wisp.Cluster;

// The cluster's scale, simulated on this machine: N nodes in one process on loopback (each a Wisp node with its own
// engine), names registered on every node and resolved from every other, watchers on every node monitoring a process
// of one node, then that node killed. Prints how long each stage took; docs/cluster.md records the figures.
// Usage: Wisp.ClusterSim [--nodes N] [--names-per-node K] [--watchers-per-node W]
int nodes = Arg("--nodes", 10), namesPerNode = Arg("--names-per-node", 100), watchersPerNode = Arg("--watchers-per-node", 100);
var deadline = TimeSpan.FromMinutes(3);
const string Host = "app:processes";
Console.WriteLine($"cluster simulation: {nodes} nodes in one process on loopback (ClusterOptions.Fast: heartbeat 200 ms, pause 800 ms), {Environment.ProcessorCount} cores, "
    + $"{namesPerNode} EVENTUAL names and {watchersPerNode} watchers per node; load average {LoadAverage()}");

var members = new List<(Node Node, ClusterNode Cluster)>();
var clock = Stopwatch.StartNew();
for (int i = 0; i < nodes; i++)
{
    var node = new Node(ClusterNode.NodeOptions($"n{i}"));
    node.AddHost(Host);
    var seeds = members.Take(3).Select(m => m.Cluster.Address).ToArray();
    members.Add((node, await ClusterNode.StartAsync(node, new ClusterOptions { NodeName = node.Name, Listen = "127.0.0.1:0", Seeds = seeds, JoinTimeout = deadline }.Fast())));
}
var started = clock.Elapsed;
await Until(() => members.All(m => m.Cluster.Peers.Count == nodes - 1));
Report("membership: every node up and reaching every other", started, clock.Elapsed - started);

// Names: each node registers its own; every node must resolve every name.
clock.Restart();
foreach (var (node, _) in members)
    for (int k = 0; k < namesPerNode; k++)
    {
        string name = $"{node.Name}/svc{k}";
        node.Spawn(Host, async c =>
        {
            c.Registry.Register(name, RegistryScope.Eventual);
            return await c.NewChannel<int>().Receive().AsTask().ContinueWith(_ => (object?)null);
        });
    }
var allNames = members.SelectMany(m => Enumerable.Range(0, namesPerNode).Select(k => $"{m.Node.Name}/svc{k}")).ToArray();
await Until(() => members.All(m => allNames.All(n => m.Node.Registry.Lookup(n) is not null)));
Report($"names: {allNames.Length} registered, every node resolves all", null, clock.Elapsed);

// Watchers: every other node's watchers monitor one process of the victim; then the victim is killed.
var victim = members[^1];
var target = victim.Node.Spawn(Host, c => c.NewChannel<int>().Receive().AsTask().ContinueWith(_ => (object?)null));
var watching = new CountdownEvent((nodes - 1) * watchersPerNode);
var heard = new CountdownEvent((nodes - 1) * watchersPerNode);
long killedAt = 0, lastHeard = 0;
foreach (var (node, _) in members.SkipLast(1))
    for (int w = 0; w < watchersPerNode; w++)
        node.Spawn(Host, async c =>
        {
            c.Monitor(target);
            watching.Signal();
            await c.Events.Receive();
            Interlocked.Exchange(ref lastHeard, Stopwatch.GetTimestamp());
            heard.Signal();
            return null;
        });
if (!watching.Wait(deadline)) throw new TimeoutException("the watchers did not all start");
killedAt = Stopwatch.GetTimestamp();
await victim.Cluster.AbortAsync();
if (!heard.Wait(deadline)) throw new TimeoutException($"{heard.CurrentCount} watchers never heard of the loss");
Report($"loss: {(nodes - 1) * watchersPerNode} watchers on {nodes - 1} nodes all got their EXIT after the kill", null,
    Stopwatch.GetElapsedTime(killedAt, lastHeard));
clock.Restart();
await Until(() => members.SkipLast(1).All(m => m.Cluster.MemberCount == nodes - 1));
Report("loss: the killed node removed from every survivor's membership", null, Stopwatch.GetElapsedTime(killedAt));
await Until(() => members.SkipLast(1).All(m => m.Node.Registry.Lookup($"{victim.Node.Name}/svc0") is null));
Console.WriteLine($"  peak RSS {Process.GetCurrentProcess().PeakWorkingSet64 >> 20} MiB; load average {LoadAverage()}");

foreach (var (_, cluster) in members.SkipLast(1)) await cluster.DisposeAsync();
return 0;

int Arg(string name, int fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out int v) ? v : fallback;
}

async Task Until(Func<bool> condition)
{
    var until = DateTime.UtcNow + deadline;
    while (!condition())
    {
        if (DateTime.UtcNow > until) throw new TimeoutException("a stage did not finish within its deadline");
        await Task.Delay(10);
    }
}

static void Report(string what, TimeSpan? start, TimeSpan took) =>
    Console.WriteLine($"  {what}: {took.TotalSeconds:0.00} s{(start is { } s ? $" (the {s.TotalSeconds:0.0} s of starting the nodes before)" : "")}");

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
