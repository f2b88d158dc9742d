namespace Wisp.Cluster.Tests;

/// <summary>Two nodes of one test process on the real engine: messages, monitors and the loss of a node.</summary>
public class TwoNodeTests
{
    [Fact]
    public async Task Messages_and_exits_cross_between_two_nodes()
    {
        await using var cluster = new ClusterHarness();
        var a = await cluster.Start("a");
        var b = await cluster.Start("b");
        await cluster.Connected();
        var received = new Probe<Message>();
        var echo = b.Node.Spawn(ClusterHarness.HostId, async c =>
        {
            while (true)
            {
                var (m, _) = await c.Inbox.Receive();
                received.Put(m);
                if (m.Topic == "stop") return "stopped";
                c.Send(m.From, "echo", m.Payload<object>());
            }
        });
        var result = new TaskCompletionSource<object?>();
        a.Node.Spawn(ClusterHarness.HostId, async c =>
        {
            c.Monitor(echo);
            for (long i = 0; i < 100; i++)
            {
                c.Send(echo, "ping", new PayloadMap([new("i", i)]));
                var (reply, _) = await c.Inbox.Receive();
                Assert.Equal(i, reply.Payload<PayloadMap>()["i"]);
            }
            c.Send(echo, "stop");
            var (exit, _) = await c.Events.Receive();
            result.SetResult(exit.Result!.Value);
            return null;
        });
        Assert.Equal("stopped", await result.Task.WaitAsync(ClusterHarness.Deadline));
        Assert.Equal("a", (await received.Take()).From.Node);
    }

    [Fact]
    public async Task The_loss_of_a_node_reaches_its_watchers_as_node_unreachable()
    {
        await using var cluster = new ClusterHarness();
        var a = await cluster.Start("a");
        var b = await cluster.Start("b");
        await cluster.Connected();
        var target = b.Node.Spawn(ClusterHarness.HostId, c => c.NewChannel<int>().Receive().AsTask().ContinueWith(_ => (object?)null));
        var watching = new TaskCompletionSource();
        var exit = new TaskCompletionSource<ProcessEvent>();
        a.Node.Spawn(ClusterHarness.HostId, async c =>
        {
            c.Monitor(target);
            watching.SetResult();
            var (ev, _) = await c.Events.Receive();
            exit.SetResult(ev);
            return null;
        });
        await watching.Task.WaitAsync(ClusterHarness.Deadline);
        await b.Cluster.Crash();
        var lost = await exit.Task.WaitAsync(ClusterHarness.Deadline);
        Assert.Equal(target, lost.From);
        Assert.StartsWith("node b unreachable", lost.Result!.Error!.Message);
    }
}

/// <summary>EVENTUAL names across two nodes: resolved from the other node, released on exit, one holder after a conflict.</summary>
public class EventualNameTests
{
    private static Task<object?> Forever(ProcessContext c) => c.NewChannel<int>().Receive().AsTask().ContinueWith(_ => (object?)null);

    [Fact]
    public async Task A_name_registered_on_one_node_is_reached_from_the_other_and_released_on_exit()
    {
        await using var cluster = new ClusterHarness();
        var a = await cluster.Start("a");
        var b = await cluster.Start("b");
        await cluster.Connected();
        var received = new Probe<Message>();
        var registered = new TaskCompletionSource();
        var relay = a.Node.Spawn(ClusterHarness.HostId, async c =>
        {
            c.Registry.Register("relay", RegistryScope.Eventual);
            Assert.Equal(c.Pid, c.Registry.Lookup("relay"));
            registered.SetResult();
            var (m, _) = await c.Inbox.Receive();
            received.Put(m);
            return null;
        });
        await registered.Task.WaitAsync(ClusterHarness.Deadline);
        await ClusterHarness.Until(() => b.Node.Registry.Lookup("relay") == relay);
        var clash = new TaskCompletionSource<WispException>();
        b.Node.Spawn(ClusterHarness.HostId, c =>
        {
            clash.SetResult(Assert.Throws<WispException>(() => c.Registry.Register("relay", RegistryScope.Eventual)));
            c.Send("relay", "hello");
            return Task.FromResult<object?>(null);
        });
        Assert.Equal(ErrorKind.AlreadyExists, (await clash.Task.WaitAsync(ClusterHarness.Deadline)).Kind);
        var hello = await received.Take();
        Assert.Equal("b", hello.From.Node);
        await ClusterHarness.Until(() => b.Node.Registry.Lookup("relay") is null && a.Node.Registry.Lookup("relay") is null);
    }

    [Fact]
    public async Task Two_nodes_registering_one_name_at_once_end_with_one_holder_and_a_revoked_loser()
    {
        await using var cluster = new ClusterHarness();
        var a = await cluster.Start("a");
        var b = await cluster.Start("b");
        await cluster.Connected();
        var revoked = new Probe<string>();
        ProcessBody holder = async c =>
        {
            try
            {
                c.Registry.Register("leader", RegistryScope.Eventual);   // both succeed unless one node has seen the other's already
            }
            catch (WispException e) when (e.Kind == ErrorKind.AlreadyExists)
            {
                revoked.Put($"{c.Pid.Node}: {e.Message}");
                return null;
            }
            var (ev, _) = await c.Events.Receive();
            revoked.Put($"{c.Pid.Node}: {ev.KindName} {ev.Reason}");
            return await Forever(c);
        };
        var onA = a.Node.Spawn(ClusterHarness.HostId, holder);
        var onB = b.Node.Spawn(ClusterHarness.HostId, holder);
        var loser = await revoked.Take();
        Assert.Matches("^[ab]: (pid.cancel name revoked: leader|name already registered: leader)$", loser);
        var winner = loser.StartsWith('a') ? onB : onA;
        await ClusterHarness.Until(() => a.Node.Registry.Lookup("leader") == winner && b.Node.Registry.Lookup("leader") == winner);
    }
}

/// <summary>Downing: the survivor of a 2-node cluster keeps running, whichever node was lost.</summary>
public class DowningTests
{
    [Fact]
    public async Task The_younger_survivor_of_two_nodes_stays_up_and_takes_a_new_node()
    {
        // a is the oldest and has the lower address: Akka's keep-majority and keep-oldest would both down b here.
        var ports = ClusterHarness.FreePorts(2);
        await using var cluster = new ClusterHarness();
        var a = await cluster.Start("a", port: ports[0]);
        var b = await cluster.Start("b", port: ports[1]);
        await cluster.Connected();
        await a.Cluster.Crash();
        // Once a is downed and removed, b must still be up; a node that joins b then proves it (a downed b refuses it).
        await ClusterHarness.Until(() => b.Cluster.MemberCount == 1 || !b.Cluster.IsUp);
        Assert.True(b.Cluster.IsUp, "b was downed with a");
        var node = new Node(new NodeOptions { Name = "c", Creation = ClusterNode.NewCreation() });
        node.AddHost(ClusterHarness.HostId);
        await using var c = await ClusterNode.StartAsync(node, new ClusterOptions { NodeName = "c", Listen = "127.0.0.1:0", Seeds = [b.Cluster.Address], JoinTimeout = ClusterHarness.Deadline });
        await ClusterHarness.Until(() => c.Peers.Contains("b") && b.Cluster.Peers.Contains("c"));
        Assert.True(b.Cluster.IsUp);
    }
}

/// <summary>A cluster with a shared secret: its nodes talk mutual TLS, a node without the secret is refused.</summary>
public class SecretTests
{
    private static ClusterOptions WithSecret(string? secret) =>
        new() { NodeName = "x", Listen = "127.0.0.1:0", Secret = secret, JoinTimeout = TimeSpan.FromSeconds(3) };

    [Theory]
    [InlineData("another secret of the right length")]
    [InlineData(null)]
    public async Task Nodes_with_the_secret_work_together_and_a_node_without_it_is_refused(string? intruderSecret)
    {
        const string secret = "the cluster's shared secret";
        await using var cluster = new ClusterHarness();
        var a = await cluster.Start("a", WithSecret(secret));
        var b = await cluster.Start("b", WithSecret(secret));
        await cluster.Connected();
        var echo = b.Node.Spawn(ClusterHarness.HostId, async c =>
        {
            var (m, _) = await c.Inbox.Receive();
            c.Send(m.From, "pong");
            return null;
        });
        var pong = new TaskCompletionSource<string>();
        a.Node.Spawn(ClusterHarness.HostId, async c =>
        {
            c.Send(echo, "ping");
            pong.SetResult((await c.Inbox.Receive()).Value.Topic);
            return null;
        });
        Assert.Equal("pong", await pong.Task.WaitAsync(ClusterHarness.Deadline));

        var node = new Node(new NodeOptions { Name = "intruder", Creation = ClusterNode.NewCreation() });
        node.AddHost(ClusterHarness.HostId);
        await using var intruder = await ClusterNode.StartAsync(node, WithSecret(intruderSecret) with { NodeName = "intruder", Seeds = [a.Cluster.Address] });
        Assert.False(intruder.IsUp);
        Assert.Empty(intruder.Peers);
        Assert.Equal(["b"], a.Cluster.Peers);
        Assert.Throws<WispException>(() => node.Send(new Pid("a", ClusterHarness.HostId, 1), "x", null));
    }
}

/// <summary>CONSISTENT names: one authority decides, the first holder wins, a later claim learns the holder.</summary>
public class ConsistentNameTests
{
    [Fact]
    public async Task Of_two_nodes_claiming_one_name_at_once_exactly_one_wins_and_its_exit_frees_the_name()
    {
        await using var cluster = new ClusterHarness();
        var a = await cluster.Start("a");
        var b = await cluster.Start("b");
        await cluster.Connected();
        var outcomes = new Probe<(Pid Pid, string Outcome)>();
        var release = new TaskCompletionSource();
        ProcessBody claimant = async c =>
        {
            try
            {
                await c.Registry.RegisterAsync("leader", RegistryScope.Consistent);
                outcomes.Put((c.Pid, "won"));
                await release.Task.WaitAsync(ClusterHarness.Deadline);
            }
            catch (WispException e)
            {
                outcomes.Put((c.Pid, $"{e.Kind}: {e.Message}"));
            }
            return null;
        };
        a.Node.Spawn(ClusterHarness.HostId, claimant);
        b.Node.Spawn(ClusterHarness.HostId, claimant);
        var first = await outcomes.Take();
        var second = await outcomes.Take();
        var (winner, loser) = first.Outcome == "won" ? (first, second) : (second, first);
        Assert.Equal("won", winner.Outcome);
        Assert.Equal($"AlreadyExists: name already registered: leader (by {winner.Pid})", loser.Outcome);
        await ClusterHarness.Until(() => a.Node.Registry.Lookup("leader") == winner.Pid && b.Node.Registry.Lookup("leader") == winner.Pid);

        release.SetResult();   // the winner exits: the name is free again, for a process of the other node
        var loserNode = winner.Pid.Node == "a" ? b : a;
        await ClusterHarness.Until(() => loserNode.Node.Registry.Lookup("leader") is null);
        var retaken = new TaskCompletionSource<Pid>();
        loserNode.Node.Spawn(ClusterHarness.HostId, async c =>
        {
            await c.Registry.RegisterAsync("leader", RegistryScope.Consistent);
            retaken.SetResult(c.Pid);
            return await c.NewChannel<int>().Receive().AsTask().ContinueWith(_ => (object?)null);
        });
        var next = await retaken.Task.WaitAsync(ClusterHarness.Deadline);
        await ClusterHarness.Until(() => a.Node.Registry.Lookup("leader") == next && b.Node.Registry.Lookup("leader") == next);
    }
}
