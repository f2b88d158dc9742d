using System.Text.RegularExpressions;
using Wisp.Hosting;
using Xunit.Abstractions;

namespace Wisp.EchoService.Tests;

/// <summary>
/// The relay killed again and again while the CLI answers lines, in the C# and in the seed's Lua service: the
/// supervisor restarts it after each kill, every line gets exactly one answer (its echo, "relay not available" or
/// "timeout"), the CLI never hangs, and no worker is left running once it has replied. <c>WISP_FAULT_KILLS</c> sets
/// the number of kills (25 by default; docs/reliability.md records a run of 1,000).
/// </summary>
public sealed class RelayFaultTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Deadline = TextCapture.DefaultTimeout;
    private static readonly Regex Answer = new("  (?:L[0-9]+|error: relay not available|timeout)");

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static int Kills => int.TryParse(Environment.GetEnvironmentVariable("WISP_FAULT_KILLS"), out var k) && k > 0 ? k : 25;

    // The relay service's lifecycle, with a short backoff and no limit on restarts, so that many kills fit in a test.
    private const string Lifecycle = "    host: app:processes\n    lifecycle:\n      auto_start: true\n";
    private const string FastRestarts = Lifecycle + "      restart:\n        initial_delay: 5ms\n        max_delay: 20ms\n        jitter: 0\n        max_attempts: 0\n";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_relay_killed_again_and_again_is_restarted_each_time_and_every_line_is_answered_once(bool lua)
    {
        await using var session = lua
            ? EchoSession.StartLua(Path.Combine(SeedFolder.CopyTo(_folder, "_index.yaml", Lifecycle, FastRestarts), "src"))
            : EchoSession.Start(EchoProgram.WriteModifiedIndex(_folder, Lifecycle, FastRestarts));
        var killer = Task.Run(() => KillRepeatedly(session.Node, Kills));

        int lines = 0;
        while (!killer.IsCompleted)
        {
            await session.Output.ExpectAsync("> ");
            session.Input.Send($"l{++lines}");
            await session.Output.ExpectAsync(Answer, description: $"an answer to line {lines}");   // within the deadline: the CLI never hangs
        }
        await killer;
        output.WriteLine($"{Kills} kills, {lines} lines answered meanwhile");

        var last = await EchoRuntimeTests.PollAsync(() => session.Node.Registry.Lookup("relay"), "the last restart");
        var service = session.Runtime.Service("app:relay-service");
        Assert.NotNull(service);
        Assert.Equal(Kills + 1, service.Runs);
        Assert.Equal(ServiceState.Running, service.State);
        await session.Output.ExpectAsync("> ");
        session.Input.Send("after");
        await session.Output.ExpectAsync(new Regex("  AFTER"));

        // Workers exit once they have replied: in the end only the relay is left on its host.
        await EchoRuntimeTests.PollAsync(() => session.Node.ProcessesOn("app:processes") is [var only] && only == last ? true : (bool?)null,
            "every worker to exit");
        session.Input.End();
        Assert.Equal(0, await session.WaitForExitAsync());
    }

    /// <summary>Kills each relay the supervisor starts, <paramref name="kills"/> times, waiting for every exit.</summary>
    private static async Task KillRepeatedly(Node node, int kills)
    {
        Pid? killed = null;
        for (int done = 0; done < kills;)
        {
            var relay = await EchoRuntimeTests.PollAsync(() => node.Registry.Lookup("relay") is { } pid && pid != killed ? pid : (Pid?)null,
                $"restart {done}");
            Task<ExitResult> exited;
            try { exited = node.WhenExited(relay); }
            catch (WispException e) when (e.Kind == ErrorKind.NotFound)   // between its exit and the release of its name
            {
                killed = relay;
                continue;
            }
            node.TryTerminate(relay);
            await exited.WaitAsync(Deadline);
            killed = relay;
            done++;
        }
    }
}
