using Wisp.Hosting;

namespace Wisp.EchoService.Tests;

/// <summary>
/// The seed's Lua echo service in this process (the runtime with the Lua layer): what a child process cannot
/// show — the relay killed and restarted under the CLI, a late reply answering the next line (with a C# worker
/// the Lua relay spawns), Ctrl+C.
/// </summary>
public sealed class LuaEchoRuntimeTests : IDisposable
{
    private static readonly TimeSpan Deadline = TextCapture.DefaultTimeout;
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static async Task<string> Echo(EchoSession session, string line)
    {
        await session.Output.ExpectAsync(SeedFolder.Prompt);
        session.Input.Send(line);
        await session.Output.ExpectAsync(SeedFolder.Reply(line));
        return (await session.Output.ExpectAsync(SeedFolder.WorkerLine, description: $"the worker line for '{line}'")).Groups[1].Value;
    }

    [Fact]
    public async Task A_killed_relay_gives_relay_not_available_then_the_restarted_relay_answers()
    {
        // Time halts while the relay is down (EchoRuntimeTests' twin).
        await using var clock = new HaltableClock();
        await using var session = EchoSession.OnClock(clock.Time, lua: true);
        await Echo(session, "before");
        var service = session.Runtime.Service("app:relay-service")!;
        var relay = session.Node.Registry.Lookup("relay")!.Value;
        Assert.Equal(relay, service.Child);

        var exited = session.Node.WhenExited(relay);
        clock.Halt();
        session.Node.Terminate(relay);
        Assert.Equal("process terminated", (await exited.WaitAsync(Deadline)).Error?.Message);
        Assert.Null(session.Node.Registry.Lookup("relay"));

        await session.Output.ExpectAsync(SeedFolder.Prompt);
        session.Input.Send("while down");
        await session.Output.ExpectAsync(SeedFolder.NotAvailable);

        clock.Resume();
        await EchoRuntimeTests.PollAsync(() => session.Node.Registry.Lookup("relay") is { } pid && pid != relay
            ? pid : (Pid?)null, "the relay to be restarted");
        Assert.Equal(2, service.Runs);
        await Echo(session, "after");
        await session.Output.ExpectAsync(SeedFolder.Prompt);
        session.Input.End();
        Assert.Equal(0, await session.WaitForExitAsync());
    }

    [Fact]
    public async Task A_late_reply_from_a_csharp_worker_answers_the_next_line_as_in_the_seed()
    {
        // The Lua relay spawns a C# worker (the seed's worker entry pointed at SlowWorker): C# and Lua in one node.
        var folder = SeedFolder.CopyTo(_folder, "_index.yaml",
            "    kind: process.lua\n    source: file://worker.lua\n    method: main\n    modules:\n      - process\n      - time\n",
            $"    kind: process.dotnet\n    type: {typeof(SlowWorker).FullName}\n    method: {nameof(SlowWorker.Run)}\n");
        await using var session = EchoSession.StartLua(Path.Combine(folder, "src"), typeof(SlowWorker).Assembly);
        try
        {
            await session.Output.ExpectAsync(SeedFolder.Prompt);
            session.Input.Send("late");
            Assert.True(SlowWorker.For("late").Started.TryTake(out var worker, Deadline), "the C# worker did not start");
            var workerExited = session.Node.WhenExited(worker);
            await session.Output.ExpectAsync(SeedFolder.Timeout);

            SlowWorker.For("late").Release.TrySetResult();
            Assert.Null((await workerExited.WaitAsync(Deadline)).Error);

            await session.Output.ExpectAsync(SeedFolder.Prompt);
            session.Input.Send("second");
            await session.Output.ExpectAsync(SeedFolder.Reply("late"));             // the C# record read by the Lua CLI
            await session.Output.ExpectAsync($"\u001b  from worker: {worker}\u001b\n");
            await session.Output.ExpectAsync(SeedFolder.Prompt);
            session.Input.End();
            Assert.Equal(0, await session.WaitForExitAsync());
        }
        finally
        {
            SlowWorker.For("late").Release.TrySetResult();
        }
    }

    [Fact]
    public async Task Ctrl_C_while_the_CLI_waits_for_input_returns_130_and_stops_the_services()
    {
        await using var session = EchoSession.StartLua();
        await Echo(session, "hello");
        await session.Output.ExpectAsync(SeedFolder.Prompt);
        session.Interrupt();
        Assert.Equal(130, await session.WaitForExitAsync());
        Assert.Equal(ServiceState.Stopped, session.Runtime.Service("app:relay-service")!.State);
        Assert.Equal(0, session.Node.ProcessCount);
    }
}
