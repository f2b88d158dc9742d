using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Wisp.Cluster.Tests;

/// <summary>
/// Nodes of one test process joined through the real engine on loopback: each a Wisp node with one host and its
/// <see cref="ClusterNode"/>, the first a seed on a free port, the others joining it. Waits have generous deadlines.
/// </summary>
internal sealed class ClusterHarness : IAsyncDisposable
{
    public const string HostId = "app:processes";
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly List<Member> _members = [];

    public sealed record Member(Node Node, ClusterNode Cluster);

    public IReadOnlyList<Member> Members => _members;

    /// <summary>Starts a node; the first one founds the cluster, the others join the first.</summary>
    public async Task<Member> Start(string name, ClusterOptions? tuning = null, int port = 0, ILoggerFactory? logs = null)
    {
        var node = new Node(ClusterNode.NodeOptions(name) with { LoggerFactory = logs ?? NullLoggerFactory.Instance });
        node.AddHost(HostId);
        var seeds = _members.Count == 0 ? [] : new[] { _members[0].Cluster.Address };
        var options = (tuning ?? new ClusterOptions { NodeName = name, Listen = "127.0.0.1:0" }) with
        {
            NodeName = name, Listen = $"127.0.0.1:{port}", Seeds = seeds,
        };
        var cluster = await ClusterNode.StartAsync(node, options).WaitAsync(Deadline);
        var member = new Member(node, cluster);
        _members.Add(member);
        return member;
    }

    /// <summary>Waits until every running member reaches every other one.</summary>
    public async Task Connected()
    {
        await Until(() => _members.All(m => m.Cluster.Peers.Count == _members.Count - 1));
    }

    /// <summary>Free loopback ports, in ascending order (an address's order decides some of Akka's choices).</summary>
    public static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0)).ToList();
        foreach (var listener in listeners) listener.Start();
        var ports = listeners.Select(l => ((System.Net.IPEndPoint)l.LocalEndpoint).Port).Order().ToArray();
        foreach (var listener in listeners) listener.Stop();
        return ports;
    }

    public static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("the condition did not hold within the deadline");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var member in _members) await member.Cluster.DisposeAsync();
    }
}

/// <summary>A one-way queue from process code to the test.</summary>
internal sealed class Probe<T>
{
    private readonly System.Threading.Channels.Channel<T> _queue = System.Threading.Channels.Channel.CreateUnbounded<T>();

    public void Put(T value) => _queue.Writer.TryWrite(value);

    public async Task<T> Take() => await _queue.Reader.ReadAsync().AsTask().WaitAsync(ClusterHarness.Deadline);
}
