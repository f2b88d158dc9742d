namespace Wisp.Tests;

/// <summary>Every process that ends with an error is written to the log once (wisp.crash), monitored or not; a normal end is not.</summary>
public class CrashReportTests
{
    private static readonly ProcessCatalog Catalog = new ProcessCatalog()
        .Add("app:breaks", _ => throw new InvalidOperationException("broke"))
        .Add("app:fine", _ => Task.FromResult<object?>(42));

    [Fact]
    public async Task An_unmonitored_failure_is_logged_once_with_its_pid_entry_error_and_exception_and_a_normal_end_is_not()
    {
        var logs = new CapturedLogs();
        var node = new TestNode(Catalog, logs: logs);
        var failed = node.Node.SpawnWatched("app:breaks", TestNode.HostId);   // nobody else watches it
        var fine = node.Node.SpawnWatched("app:fine", TestNode.HostId);
        await failed.Exited.WaitAsync(TestNode.Deadline);
        await fine.Exited.WaitAsync(TestNode.Deadline);
        var crash = Assert.Single(logs.Lines, l => l.Contains("wisp.crash"));
        Assert.Equal($"Error wisp.crash: process {failed.Pid} (app:breaks) ended with an error: broke", crash);
        Assert.Contains(logs.Exceptions, e => e is InvalidOperationException { Message: "broke" });
    }

    [Fact]
    public async Task A_terminate_and_a_linked_failure_are_logged_below_error()
    {
        var logs = new CapturedLogs();
        var node = new TestNode(logs: logs);
        var value = await node.Value(async p =>
        {
            var victim = p.Spawn(c => c.NewChannel<int>().Receive().AsTask().ContinueWith(_ => (object?)null), SpawnOptions.Monitored);
            p.Terminate(victim);
            await p.Events.Next();
            p.Spawn(async c =>
            {
                c.Spawn(async _ =>
                {
                    await Task.Yield();
                    throw new InvalidOperationException("child broke");
                }, SpawnOptions.Linked);
                return await c.NewChannel<int>().Receive().AsTask().ContinueWith(_ => (object?)null);
            }, SpawnOptions.Monitored);
            await p.Events.Next();
            return null;
        });
        Assert.Single(logs.Lines, l => l.StartsWith("Information wisp.crash:") && l.EndsWith("ended with an error: process terminated"));
        Assert.Single(logs.Lines, l => l.StartsWith("Error wisp.crash:") && l.EndsWith("ended with an error: child broke"));
        Assert.Single(logs.Lines, l => l.StartsWith("Warning wisp.crash:") && l.Contains("ended with an error: linked process failed: "));
    }
}
