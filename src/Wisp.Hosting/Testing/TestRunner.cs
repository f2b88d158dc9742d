using Wisp.Hosting.Entries;

namespace Wisp.Hosting.Testing;

/// <summary>A test: a function.lua entry whose <c>meta.type</c> is <c>test</c>.</summary>
public sealed record TestCase(EntryId Id, string Suite, double Order, SourceLocation Location);

/// <summary>How a test ended: passed (no error), or its error; and how long it ran.</summary>
public sealed record TestOutcome(TestCase Test, ProcessError? Error, TimeSpan Duration)
{
    public bool Passed => Error is null;
}

/// <summary>
/// Runs the test entries of a node (what <c>wisp test</c> does): every <c>function.lua</c> entry with
/// <c>meta.type: test</c>, grouped by <c>meta.suite</c> (default "default"), ordered by <c>meta.order</c> then id.
/// Each test is called as a function (a process of its own, see <see cref="Functions"/>) and passes when its main
/// returns without an error; the tests run one after another, each within a timeout, after which it is terminated
/// and fails on its own. Processes a test leaves running end with the node.
/// </summary>
public sealed class TestRunner(WispRuntime runtime)
{
    public const string DefaultSuite = "default";

    /// <summary>The tests, in running order: of <paramref name="suite"/> if given, whose id contains <paramref name="filter"/> if given.</summary>
    public IReadOnlyList<TestCase> Discover(string? suite = null, string? filter = null) =>
        runtime.Entries.OfType<LuaEntry>()
            .Where(e => e.Kind == LuaEntry.FunctionKind && e.Meta.GetValueOrDefault("type") as string == "test")
            .Select(e => new TestCase(e.Id, e.Meta.GetValueOrDefault("suite") as string ?? DefaultSuite, OrderOf(e), e.Location))
            .Where(t => suite is null || t.Suite == suite)
            .Where(t => filter is null || t.Id.ToString().Contains(filter, StringComparison.Ordinal))
            .OrderBy(t => t.Suite, StringComparer.Ordinal)
            .ThenBy(t => t.Order)
            .ThenBy(t => t.Id.ToString(), StringComparer.Ordinal)
            .ToList();

    private static double OrderOf(Entry entry) => entry.Meta.GetValueOrDefault("order") switch
    {
        long n => n,
        double d => d,
        _ => double.MaxValue,   // unordered tests run after the ordered ones of their suite
    };

    /// <summary>Runs <paramref name="tests"/> in order; <paramref name="finished"/> hears each outcome as it comes.</summary>
    public async Task<IReadOnlyList<TestOutcome>> RunAsync(IReadOnlyList<TestCase> tests, TimeSpan timeout,
        Action<TestOutcome>? finished = null, CancellationToken interrupt = default)
    {
        var outcomes = new List<TestOutcome>(tests.Count);
        foreach (var test in tests)
        {
            interrupt.ThrowIfCancellationRequested();
            var outcome = await RunOne(test, timeout, interrupt);
            outcomes.Add(outcome);
            finished?.Invoke(outcome);
        }
        return outcomes;
    }

    private async Task<TestOutcome> RunOne(TestCase test, TimeSpan timeout, CancellationToken interrupt)
    {
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        Pid pid;
        Task<ExitResult> result;
        try
        {
            (pid, result) = runtime.Functions.Start(test.Id.ToString(), callerHost: null);
        }
        catch (WispException e)
        {
            return new TestOutcome(test, new ProcessError(e.Message, e.Kind), TimeSpan.Zero);
        }
        var ended = await Task.WhenAny(result, Task.Delay(timeout, interrupt));
        if (ended != result)
        {
            runtime.Node.TryTerminate(pid);   // false if it ended meanwhile
            await result;
            var why = interrupt.IsCancellationRequested
                ? new ProcessError("interrupted", ErrorKind.Canceled)
                : new ProcessError($"timed out after {timeout.TotalSeconds:0.###} s", ErrorKind.Timeout);
            return new TestOutcome(test, why, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
        return new TestOutcome(test, (await result).Error, System.Diagnostics.Stopwatch.GetElapsedTime(started));
    }
}
