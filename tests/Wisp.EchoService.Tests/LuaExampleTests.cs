namespace Wisp.EchoService.Tests;

/// <summary>
/// The Lua examples under examples/ (a worker pool, a supervised crasher, pub/sub over events, a registry-driven
/// scheduler, orders checked by types of the typed dialect), each end to end through the real wisp command: <c>wisp -C examples/NAME run -x app:main</c> prints
/// what it should and exits 0.
/// </summary>
public sealed class LuaExampleTests
{
    public static TheoryData<string, string> Examples => new()
    {
        { "lua-worker-pool", """
            sum of squares 1..20 = 2870
            worker 1 did 5 jobs
            worker 2 did 5 jobs
            worker 3 did 5 jobs
            worker 4 did 5 jobs
            4 workers stopped
            """ },
        { "lua-supervised-crasher", """
            crasher answers: true
            round 1: it failed (asked to crash)
            round 1: restarted under a new PID: true
            round 2: it failed (asked to crash)
            round 2: restarted under a new PID: true
            round 3: it failed (asked to crash)
            round 3: restarted under a new PID: true
            """ },
        { "lua-pubsub", """
            all news:
              news.world published /articles/1 Rain
              news.sport published /articles/2 Goal
              news.sport retracted /articles/2
            sport only:
              news.sport published /articles/2 Goal
              news.sport retracted /articles/2
            """ },
        { "lua-scheduler", """
            scheduler starting
            2 jobs in the registry
            app:backup run 1: backing up
            app:backup run 2: backing up
            app:report run 1: reporting
            app:report run 2: reporting
            app:report run 3: reporting
            registry version 2: 2 jobs
            app:cleanup run 1: cleaning up
            app:report run 1: reporting
            app:report run 2: reporting
            app:report run 3: reporting
            """ },
        { "lua-typed", """
            order 1: accepted, 2 units
            order 2: rejected (customer: pattern mismatch)
            order 3: rejected (items: length below minimum)
            order 4: rejected (items[1].sku: length below minimum)
            order 5: rejected (items[1].quantity: value below minimum)
            order 6: accepted, 4 units
            2 accepted, 4 rejected
            an order has customer: string, id: integer, items: array, note: string
            """ },
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task The_example_prints_what_it_should_and_exits_0(string example, string expected)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "examples", example);
        var (code, output, error) = await EchoProcess.RunWispAsync(Path.GetTempPath(), "-C", folder, "run", "-x", "app:main");
        Assert.True(code == 0, $"exit {code}\n{error}");
        Assert.Equal(expected.Replace("\r", "") + "\n", output.Replace("\r", ""));
    }
}
