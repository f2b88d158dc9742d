using EchoService;
using Wisp.Hosting;
using Wisp.Hosting.Inspection;

namespace Wisp.Cli.Tests;

/// <summary>
/// <c>wisp top</c> on a known node: the C# echo service with its inspection endpoint, its frame rendered in a test
/// console and read row by row.
/// </summary>
public sealed class TopTests
{
    [Fact]
    public async Task A_request_in_flight_shows_the_relay_and_its_waiting_worker_whose_pid_then_answers()
    {
        await using var node = await WatchedNode.StartAsync();
        node.Clock.Advance(TimeSpan.FromSeconds(65));
        var reply = new TaskCompletionSource<EchoResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        var asker = node.Node.Spawn("app:processes", async p =>
        {
            p.Send("relay", "echo", new EchoRequest(p.Pid, "hi"));
            var (message, _) = await p.Inbox.Receive();
            reply.SetResult(message.Payload<EchoResponse>());
            return 0;
        });

        // The worker sleeps 100 ms on the test's clock before it answers: it waits in the table until the clock moves.
        var snapshot = await node.WaitForAsync(s => s.Processes.Any(p => p.Entry == "app:worker")
            && s.Processes.Where(p => p.Entry is "app:worker" or "app:relay").All(p => p.State == "Waiting"), "the worker and the relay parked");
        var relay = node.Node.Registry.Lookup("relay")!.Value.ToString();
        var worker = snapshot.Processes.Single(p => p.Entry == "app:worker").Pid;
        var frame = WatchedNode.Render(snapshot);

        Assert.StartsWith("node (standalone)   up 1m05s   processes 4   services 1", frame.TrimStart());
        //                 PID     ENTRY         STATE      MBOX IN   OUT  CORO UPTIME   NAMES
        Assert.Equal([relay, "app:relay", "Waiting", "0", "1", "0", "1", "1m05s", "relay"], WatchedNode.Row(frame, relay));
        Assert.Equal([worker, "app:worker", "Waiting", "0", "0", "0", "0", "0s"], WatchedNode.Row(frame, worker));
        Assert.Equal(["app:relay-service", "Running", "0", relay], WatchedNode.Row(frame, "app:relay-service"));
        Assert.Contains(asker.ToString(), frame);

        node.Clock.Advance(TimeSpan.FromMilliseconds(100));
        var answer = await reply.Task.WaitAsync(WatchedNode.Deadline);
        Assert.Equal(("HI", worker), (answer.Data, answer.Worker.ToString()));
        snapshot = await node.WaitForAsync(s => s.Processes.All(p => p.Entry != "app:worker")
            && s.Processes.Single(p => p.Entry == "app:relay").State == "Waiting", "the worker gone and its EXIT read");
        Assert.Equal([relay, "app:relay", "Waiting", "0", "1", "0", "1", "1m05s", "relay"], WatchedNode.Row(WatchedNode.Render(snapshot), relay));
    }

    [Fact]
    public async Task A_killed_relay_shows_its_restart_count_and_new_pid()
    {
        await using var node = await WatchedNode.StartAsync();
        var first = node.Node.Registry.Lookup("relay")!.Value;
        Assert.Equal(["app:relay-service", "Running", "0", first.ToString()],
            WatchedNode.Row(WatchedNode.Render(await node.WaitForAsync(_ => true, "a snapshot")), "app:relay-service"));

        node.Node.Terminate(first);
        // The supervisor's backoff runs on the test's clock: each try moves it a second.
        var snapshot = await node.WaitForAsync(s => s.Services.Single() is { Restarts: 1, State: "Running", Pid: { } pid } && pid != first.ToString(),
            "the relay restarted", () => node.Clock.Advance(TimeSpan.FromSeconds(1)));
        var second = snapshot.Services.Single().Pid!;
        var frame = WatchedNode.Render(snapshot);
        Assert.Equal(["app:relay-service", "Running", "1", second], WatchedNode.Row(frame, "app:relay-service"));
        Assert.Equal("app:relay", WatchedNode.Row(frame, second)[1]);
        Assert.DoesNotContain(first.ToString(), frame);
    }

    private static readonly NodeSnapshot Three = new("a", 10, new NodeTotals(3, 7, 60, 33, 0),
    [
        new ProcessRow("{a@app:p|0x00001}", "app:one", "dotnet", "Waiting", 0, 50, 1, 0, 9, []),
        new ProcessRow("{a@app:p|0x00002}", "app:two", "dotnet", "Running", 7, 10, 2, 0, 3, []),
        new ProcessRow("{a@app:p|0x00003}", "app:three", "lua", "Waiting", 0, 0, 30, 2, 5, ["x", "y"]),
    ], []);

    [Theory]
    [InlineData("mailbox", "app:two app:one app:three")]
    [InlineData("in", "app:one app:two app:three")]
    [InlineData("out", "app:three app:two app:one")]
    [InlineData("uptime", "app:one app:three app:two")]
    [InlineData("pid", "app:one app:two app:three")]
    public void Processes_are_ordered_as_asked(string order, string entries)
    {
        var frame = WatchedNode.Render(Three, Enum.Parse<TopOrder>(order, ignoreCase: true));
        var shown = frame.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(cells => cells.Length > 1 && cells[0].StartsWith("{a@", StringComparison.Ordinal)).Select(cells => cells[1]);
        Assert.Equal(entries, string.Join(' ', shown));
        Assert.Contains($"sorted by {order}", frame);
    }

    [Fact]
    public void A_peer_that_did_not_answer_is_listed_and_the_rows_say_their_node()
    {
        var frame = WatchedNode.Render(new ClusterView([Three], ["b"]), TopOrder.Pid);
        Assert.Contains("node b   no answer", frame);
        Assert.Equal(["a", "{a@app:p|0x00002}", "app:two", "Running", "7"], WatchedNode.Row(frame, "a", "{a@app:p|0x00002}")[..5]);
    }

    [Theory]
    [InlineData('m', "Mailbox")]
    [InlineData('I', "In")]
    [InlineData('o', "Out")]
    [InlineData('u', "Uptime")]
    [InlineData('p', "Pid")]
    [InlineData('x', null)]
    public void Keys_choose_the_order(char key, string? order) => Assert.Equal(order, TopOrders.ForKey(key)?.ToString());

    [Theory]
    [InlineData(7, "7s")]
    [InlineData(59, "59s")]
    [InlineData(60 + 5, "1m05s")]
    [InlineData(2 * 3600 + 7 * 60 + 30, "2h07m")]
    [InlineData(3 * 86400 + 4 * 3600, "3d04h")]
    public void Durations_read_at_a_glance(long seconds, string shown) => Assert.Equal(shown, TopView.Duration(seconds));

    [Fact]
    public void A_terminal_too_short_for_every_process_shows_the_first_in_the_order_and_says_how_many_more()
    {
        var frame = WatchedNode.Render(Three, TopOrder.Out, height: 13);
        Assert.Contains("app:three", frame);
        Assert.DoesNotContain("app:one", frame);
        Assert.DoesNotContain("app:two", frame);
        Assert.Contains("2 more not shown", frame);
        Assert.Contains("q quit", frame);   // the keys, in a terminal
    }
}
