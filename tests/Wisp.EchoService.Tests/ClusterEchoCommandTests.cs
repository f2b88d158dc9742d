using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Wisp.EchoService.Tests;

/// <summary>
/// The echo service across two nodes, each a real command as a user starts it: node A serves the relay and its
/// workers (<c>run --node a</c>), node B runs the CLI with the relay's service switched off by an override
/// (<c>-o app:relay-service:lifecycle.auto_start=false</c>); names registered without a scope are EVENTUAL
/// (<c>--default-scope eventual</c>), so the seed's relay.lua, unchanged, is found from B. Loopback only.
/// </summary>
public sealed class ClusterEchoCommandTests
{
    /// <summary>What each CLI prints: the seed's Lua one wraps styled text in ESC characters, the C# one (NO_COLOR) does not.</summary>
    private sealed record Transcript(string Banner, string Prompt, Func<string, string> Reply, string Timeout, string NotAvailable, string Goodbye, Regex Worker);

    private static readonly Transcript Lua = new(SeedFolder.Banner, SeedFolder.Prompt, SeedFolder.Reply, SeedFolder.Timeout, SeedFolder.NotAvailable,
        SeedFolder.Goodbye, new("\u001b  from worker: (\\{a@app:processes\\|0x[0-9a-f]{5,}\\})\u001b\n"));

    private static readonly Transcript CSharp = new("Echo Client\nType messages to echo. Ctrl+C to exit.\n\n", "> ",
        line => $"  {line.ToUpperInvariant()}\n", "  timeout\n", "  error: relay not available\n", "\nGoodbye!\n",
        new("(?m)^  from worker: (\\{a@app:processes\\|0x[0-9a-f]{5,}\\})\n"));

    /// <summary>Two free loopback ports: A's and B's.</summary>
    private static (string A, string B) Ports()
    {
        var listeners = new[] { new TcpListener(IPAddress.Loopback, 0), new TcpListener(IPAddress.Loopback, 0) };
        foreach (var l in listeners) l.Start();
        var ports = listeners.Select(l => $"127.0.0.1:{((IPEndPoint)l.LocalEndpoint).Port}").ToArray();
        foreach (var l in listeners) l.Stop();
        return (ports[0], ports[1]);
    }

    private static string[] NodeFlags(string name, string listen, (string A, string B) ports, string scope = "eventual") =>
        ["--node", name, "--listen", listen, "--seeds", $"{ports.A},{ports.B}", "--default-scope", scope];

    private static ChildProcess StartRelayNode(bool csharp, (string A, string B) ports, string scope = "eventual")
    {
        string[] args = ["run", "-v", .. NodeFlags("a", ports.A, ports, scope)];
        return csharp ? EchoProcess.Start(Path.GetTempPath(), args)
            : EchoProcess.StartWisp(Path.GetTempPath(), ["-C", SeedFolder.Directory, .. args]);
    }

    private static ChildProcess StartCliNode(bool csharp, (string A, string B) ports, bool verbose = false, string scope = "eventual")
    {
        string[] args = ["run", "-x", "app:terminal/app:cli", .. NodeFlags("b", ports.B, ports, scope), "-o", "app:relay-service:lifecycle.auto_start=false",
            .. (verbose ? new[] { "-v" } : [])];
        return csharp ? EchoProcess.Start(Path.GetTempPath(), args)
            : EchoProcess.StartWisp(Path.GetTempPath(), ["-C", SeedFolder.Directory, .. args]);
    }

    /// <summary>Types lines until one gets an echo (the name may take a moment to reach B); returns the worker's PID.</summary>
    private static async Task<string> EchoedOnce(ChildProcess cli, Transcript transcript, string line)
    {
        var deadline = DateTime.UtcNow + TextCapture.DefaultTimeout;
        while (true)
        {
            cli.WriteLine(line);
            var answer = await cli.Output.ExpectAsync(new Regex("(" + Regex.Escape(transcript.Reply(line)) + ")|(" + Regex.Escape(transcript.NotAvailable)
                + ")|(" + Regex.Escape(transcript.Timeout) + ")"));
            if (answer.Groups[1].Success)
            {
                var pid = (await cli.Output.ExpectAsync(transcript.Worker, description: "a worker of node a")).Groups[1].Value;
                await cli.Output.ExpectAsync(transcript.Prompt);
                return pid;
            }
            await cli.Output.ExpectAsync(transcript.Prompt);
            if (DateTime.UtcNow > deadline) Assert.Fail($"no echo within {TextCapture.DefaultTimeout}:\n{cli.Output.Text}");
        }
    }

    [Theory]
    [InlineData(false, "eventual")]
    [InlineData(true, "eventual")]
    [InlineData(false, "consistent")]   // the seed's relay.lua waits in register for the cluster's answer
    [InlineData(true, "consistent")]
    public async Task The_cli_on_one_node_is_served_by_the_relay_and_workers_of_another(bool csharp, string scope)
    {
        var ports = Ports();
        await using var a = StartRelayNode(csharp, ports, scope);
        await a.Error.ExpectAsync("relay started");
        var transcript = csharp ? CSharp : Lua;
        await using var b = StartCliNode(csharp, ports, scope: scope);
        await b.Output.ExpectAsync(transcript.Banner + transcript.Prompt);
        var first = await EchoedOnce(b, transcript, "hello");
        var second = await EchoedOnce(b, transcript, "across nodes");
        Assert.NotEqual(first, second);
        b.WriteLine("");
        await b.Output.ExpectAsync(transcript.Goodbye);
        Assert.Equal(0, await b.WaitForExitAsync());
        Assert.DoesNotContain("relay started", b.Error.Text);   // B's own relay service stayed off
    }

    [Fact]
    public async Task With_a_secret_the_cli_node_that_proves_it_is_served_and_one_that_does_not_is_refused()
    {
        using var keys = new TempFolder();
        var secret = keys.Write("cluster.key", "the echo cluster's shared secret\n");
        var wrong = keys.Write("wrong.key", "a secret of some other cluster\n");
        var ports = Ports();
        await using var a = EchoProcess.StartWisp(Path.GetTempPath(), ["-C", SeedFolder.Directory, "run", "-v", .. NodeFlags("a", ports.A, ports), "--secret-file", secret]);
        await a.Error.ExpectAsync("relay started");

        await using (var intruder = EchoProcess.StartWisp(Path.GetTempPath(), ["-C", SeedFolder.Directory, "run", "-x", "app:terminal/app:cli",
            .. NodeFlags("b", ports.B, ports), "-o", "app:relay-service:lifecycle.auto_start=false", "--secret-file", wrong]))
        {
            await intruder.Output.ExpectAsync(SeedFolder.Prompt);
            intruder.WriteLine("let me in");
            await intruder.Output.ExpectAsync(SeedFolder.NotAvailable);   // the relay's name never reaches it
            await a.Error.ExpectAsync("does not prove the cluster's shared secret");
            intruder.CloseInput();
            Assert.Equal(0, await intruder.WaitForExitAsync());
        }

        await using var b = EchoProcess.StartWisp(Path.GetTempPath(), ["-C", SeedFolder.Directory, "run", "-x", "app:terminal/app:cli",
            .. NodeFlags("b", ports.B, ports), "-o", "app:relay-service:lifecycle.auto_start=false", "--secret-file", secret]);
        await b.Output.ExpectAsync(SeedFolder.Prompt);
        await EchoedOnce(b, Lua, "with the secret");
        b.CloseInput();
        Assert.Equal(0, await b.WaitForExitAsync());
    }

    [Fact]
    public async Task A_hung_relay_node_is_reported_lost_the_cli_keeps_answering_and_the_node_comes_back()
    {
        var ports = Ports();
        await using var a = StartRelayNode(csharp: false, ports);
        await a.Error.ExpectAsync("relay started");
        await using var b = StartCliNode(csharp: false, ports, verbose: true);
        await b.Output.ExpectAsync(SeedFolder.Prompt);
        await EchoedOnce(b, Lua, "before");

        a.Signal(19);   // SIGSTOP: a hangs with its sockets open, as a frozen or partitioned machine
        try
        {
            await b.Error.ExpectAsync("node a lost: unreachable");
            b.WriteLine("while hung");
            await b.Output.ExpectAsync(new Regex(Regex.Escape(SeedFolder.Timeout) + "|" + Regex.Escape(SeedFolder.NotAvailable)));
            await b.Output.ExpectAsync(SeedFolder.Prompt);
        }
        finally
        {
            a.Signal(18);   // SIGCONT: a resumes (reachable again, or downed meanwhile and rejoining with a new engine)
        }
        await EchoedOnce(b, Lua, "after the pause");
        b.CloseInput();
        Assert.Equal(0, await b.WaitForExitAsync());
    }

    [Fact]
    public async Task The_cli_never_hangs_while_the_relay_node_is_gone_and_recovers_when_it_returns()
    {
        var ports = Ports();
        var a = StartRelayNode(csharp: false, ports);
        await a.Error.ExpectAsync("relay started");
        await using var b = StartCliNode(csharp: false, ports);
        await b.Output.ExpectAsync(SeedFolder.Prompt);
        await EchoedOnce(b, Lua, "before");

        a.Signal(9);   // SIGKILL: node a crashes
        await a.WaitForExitAsync();
        await a.DisposeAsync();
        // While a is gone, each line gets an answer within the CLI's 2 s: timeout (a not yet known lost) or
        // relay not available (its name released), never a hang.
        for (int i = 0; i < 3; i++)
        {
            b.WriteLine($"while gone {i}");
            await b.Output.ExpectAsync(new Regex(Regex.Escape(SeedFolder.Timeout) + "|" + Regex.Escape(SeedFolder.NotAvailable)));
            await b.Output.ExpectAsync(SeedFolder.Prompt);
        }

        await using var restarted = StartRelayNode(csharp: false, ports);
        await restarted.Error.ExpectAsync("relay started");
        await EchoedOnce(b, Lua, "after");
        b.CloseInput();
        Assert.Equal(0, await b.WaitForExitAsync());
    }
}
