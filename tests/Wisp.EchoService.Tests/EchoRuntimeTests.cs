using Wisp.Hosting;

namespace Wisp.EchoService.Tests;

/// <summary>
/// The echo service in this process, through <see cref="WispRuntime"/>: what a child process cannot show —
/// the relay killed and restarted under the CLI, a worker slower than the CLI's reply timeout, Ctrl+C.
/// </summary>
public sealed class EchoRuntimeTests : IDisposable
{
    private static readonly TimeSpan Deadline = TextCapture.DefaultTimeout;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task The_shipped_entries_echo_and_end_at_end_of_input()
    {
        await using var session = EchoSession.Start();

        var first = await session.EchoAsync("hello world");
        var second = await session.EchoAsync("again");
        await session.Output.ExpectAsync("> ");
        session.Input.End();

        Assert.Equal(0, await session.WaitForExitAsync());
        Assert.NotEqual(first, second);
        Assert.EndsWith("> \nGoodbye!\n", session.Output.Text);
        Assert.Equal(ServiceState.Stopped, session.Runtime.Service("app:relay-service")!.State);
    }

    [Fact]
    public async Task A_killed_relay_gives_relay_not_available_then_the_restarted_relay_answers()
    {
        // Time halts before the relay is killed, so its restart waits until the line sent while it is down has
        // found no relay, however slow the machine.
        await using var clock = new HaltableClock();
        await using var session = EchoSession.OnClock(clock.Time);

        await session.EchoAsync("before");
        var service = session.Runtime.Service("app:relay-service");
        Assert.NotNull(service);
        Assert.Equal(ServiceState.Running, service.State);
        Assert.Equal(1, service.Runs);
        var relay = session.Node.Registry.Lookup("relay");
        Assert.NotNull(relay);
        Assert.Equal(relay, service.Child);

        var exited = session.Node.WhenExited(relay.Value);
        clock.Halt();
        session.Node.Terminate(relay.Value);
        var exit = await exited.WaitAsync(Deadline);
        Assert.Equal("process terminated", exit.Error?.Message);
        Assert.Null(session.Node.Registry.Lookup("relay"));

        await session.Output.ExpectAsync("> ");
        session.Input.Send("while down");
        await session.Output.ExpectAsync("  error: relay not available\n");

        // The supervisor restarts it once its backoff has passed: a new PID registers as "relay".
        clock.Resume();
        var restarted = await PollAsync(() => session.Node.Registry.Lookup("relay") is { } pid && pid != relay.Value
            ? pid : (Pid?)null, "the relay to be restarted");
        Assert.Equal(ServiceState.Running, service.State);
        Assert.Equal(restarted, service.Child);
        Assert.Equal(2, service.Runs);

        await session.EchoAsync("after");
        await session.Output.ExpectAsync("> ");
        session.Input.End();
        Assert.Equal(0, await session.WaitForExitAsync());
        Assert.DoesNotContain("timeout", session.Output.Text);
    }

    [Fact]
    public async Task A_worker_slower_than_the_reply_timeout_gives_timeout_and_its_late_reply_answers_the_next_line()
    {
        var src = EchoProgram.WriteModifiedIndex(_folder,
            "    type: EchoService.Worker\n    method: Main\n",
            $"    type: {typeof(SlowWorker).FullName}\n    method: {nameof(SlowWorker.Run)}\n");
        await using var session = EchoSession.Start(src, typeof(SlowWorker).Assembly);
        try
        {
            await session.Output.ExpectAsync("> ");
            session.Input.Send("first");
            Assert.True(SlowWorker.For("first").Started.TryTake(out var firstWorker, Deadline), "the first worker did not start");
            var firstExited = session.Node.WhenExited(firstWorker);

            await session.Output.ExpectAsync("  timeout\n");
            Assert.False(firstExited.IsCompleted);

            // The late reply lands in the CLI's inbox while it waits for input …
            SlowWorker.For("first").Release.TrySetResult();
            Assert.True((await firstExited.WaitAsync(Deadline)).Error is null);

            // … and, as in the seed, answers the next line (the seed's documented quirk: no reply correlation).
            await session.Output.ExpectAsync("> ");
            session.Input.Send("second");
            await session.Output.ExpectAsync("  FIRST\n");
            await session.Output.ExpectAsync($"  from worker: {firstWorker}\n");

            await session.Output.ExpectAsync("> ");
            session.Input.End();
            Assert.Equal(0, await session.WaitForExitAsync());
            Assert.DoesNotContain("SECOND", session.Output.Text);
        }
        finally
        {
            SlowWorker.For("first").Release.TrySetResult();
        }
    }

    [Fact]
    public async Task Ctrl_C_while_the_CLI_waits_for_input_returns_130_and_stops_the_services()
    {
        await using var session = EchoSession.Start();
        await session.EchoAsync("hello");
        await session.Output.ExpectAsync("> ");
        var service = session.Runtime.Service("app:relay-service");
        Assert.NotNull(service);

        session.Interrupt();

        Assert.Equal(130, await session.WaitForExitAsync());
        Assert.Equal(ServiceState.Stopped, service.State);
        Assert.Null(service.Child);
        Assert.Null(session.Node.Registry.Lookup("relay"));
        Assert.Equal(0, session.Node.ProcessCount);
        Assert.DoesNotContain("Goodbye!", session.Output.Text);
    }

    /// <summary>
    /// Polls <paramref name="probe"/> until it gives a value, for a state nothing signals (a supervisor's restart).
    /// The deadline guards against a hang; no assertion depends on how soon it comes.
    /// </summary>
    internal static async Task<T> PollAsync<T>(Func<T?> probe, string what) where T : struct
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            if (probe() is { } value) return value;
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }
}
