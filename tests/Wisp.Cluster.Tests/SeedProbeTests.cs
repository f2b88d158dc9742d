using System.Net;
using System.Net.Sockets;

namespace Wisp.Cluster.Tests;

/// <summary>
/// What a node left alone in its cluster asks before it starts a new engine (SeedProbe): whether a seed other than itself
/// accepts a connection. Its own address, listed among the seeds as the docs advise, never counts.
/// </summary>
public sealed class SeedProbeTests
{
    [Theory]
    [InlineData(false, false, false, "127.0.0.1", "127.0.0.1")]   // no other seed listens: a survivor keeps its cluster
    [InlineData(true, false, true, "127.0.0.1", "127.0.0.1")]     // another seed listens: rejoin through it
    [InlineData(false, true, false, "127.0.0.1", "127.0.0.1")]    // only the node itself listens, its seed written as its listen address
    [InlineData(false, true, false, "0.0.0.0", "127.0.0.1")]      // bound to every address, its seed written as one of them
    [InlineData(false, true, false, "127.0.0.1", "localhost")]    // its seed written as a name of this machine
    public async Task A_seed_answers_only_when_another_node_listens(bool otherListens, bool selfListens, bool expected, string listenHost, string selfSeedHost)
    {
        var ports = ClusterHarness.FreePorts(2);
        using var other = otherListens ? Listen(ports[0]) : null;
        using var self = selfListens ? Listen(ports[1]) : null;
        var options = new ClusterOptions
        {
            NodeName = "b",
            Listen = $"{listenHost}:{ports[1]}",
            Seeds = [$"127.0.0.1:{ports[0]}", $"{selfSeedHost}:{ports[1]}"],
        };

        Assert.Equal(expected, await SeedProbe.AnyAnswersAsync(options, ClusterHarness.Deadline, CancellationToken.None));
    }

    private static TcpListener Listen(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        return listener;
    }
}
