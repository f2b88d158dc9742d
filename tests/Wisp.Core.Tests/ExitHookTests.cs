namespace Wisp.Tests;

/// <summary>
/// Exit hooks (<see cref="ProcessContext.OnExit"/>): they run once on every path out of a process, before its
/// monitors hear of the exit (they run inside Process.Exit, which refuses any thread but the loop's).
/// </summary>
public class ExitHookTests
{
    public enum Path { Return, Throw, Terminate, LinkedFailure, HostStop }

    [Theory]
    [InlineData(Path.Return)]
    [InlineData(Path.Throw)]
    [InlineData(Path.Terminate)]
    [InlineData(Path.LinkedFailure)]
    [InlineData(Path.HostStop)]
    public async Task The_hook_runs_once_before_the_monitor_hears(Path path)
    {
        var node = new TestNode();
        node.Node.AddHost("app:other");
        int runs = 0;
        ExitResult? seen = null;
        var ready = new Probe<Pid>();
        var (pid, exit) = await node.StartOn("app:other", async p =>
        {
            p.OnExit(result =>
            {
                runs++;
                seen = result;
            });
            switch (path)
            {
                case Path.Return:
                    return "bye";
                case Path.Throw:
                    throw new InvalidOperationException("boom");
                case Path.LinkedFailure:
                    p.Spawn(static _ => throw new InvalidOperationException("partner failed"), SpawnOptions.Linked);
                    break;
            }
            ready.Put(p.Pid);
            await p.Inbox.Next();   // waits until ended from outside
            return null;
        });
        if (path is Path.Terminate) node.Node.Terminate(await ready.Take());
        if (path is Path.HostStop)
        {
            await ready.Take();
            await node.Node.StopHostAsync("app:other", TimeSpan.FromMilliseconds(1));
        }

        var result = await exit;
        Assert.Equal(1, runs);   // the monitor's EXIT came after the hook had run
        Assert.Same(result, seen);
        Assert.Equal(path is Path.Return, !result.IsError);
        _ = pid;
    }

    [Fact]
    public async Task A_failing_hook_is_logged_and_the_others_still_run_last_registered_first()
    {
        var node = new TestNode();
        var order = new List<string>();
        var result = await node.Run(p =>
        {
            p.OnExit(_ => order.Add("first"));
            p.OnExit(_ => throw new InvalidOperationException("hook broke"));
            p.OnExit(_ => order.Add("last"));
            return Task.FromResult<object?>(42);
        });
        Assert.Equal(42, result.Value);
        Assert.Equal(["last", "first"], order);
    }

    [Fact]
    public async Task Registering_after_the_exit_is_refused_like_any_operation()
    {
        var node = new TestNode();
        ProcessContext context = default;
        await node.Run(p =>
        {
            context = p;
            return Task.FromResult<object?>(null);
        });
        Assert.Throws<ProcessExitedException>(() => context.OnExit(_ => { }));
    }
}
