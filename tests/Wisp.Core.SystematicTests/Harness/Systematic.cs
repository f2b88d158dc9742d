using System.Text;
using Microsoft.Coyote;
using Microsoft.Coyote.Rewriting;
using Microsoft.Coyote.SystematicTesting;
using Xunit.Abstractions;

namespace Wisp.SystematicTests.Harness;

/// <summary>
/// Runs a test body many times under Coyote's systematic scheduler: every Task, lock, Interlocked and Volatile
/// operation of the test assembly and of Wisp.Core (both rewritten by the project's AfterBuild target) becomes
/// a scheduling point that Coyote chooses, so each iteration explores another interleaving.
/// A body reports a broken invariant with <c>Specification.Assert</c>; a body that can never finish (a lost
/// wake-up: every task waits and nothing is scheduled) is reported by Coyote as a deadlock.
/// </summary>
internal static class Systematic
{
    /// <summary>Iterations for most scenarios: enough to hit the known windows, small enough for 2 cores in CI.</summary>
    public const uint DefaultIterations = 500;

    /// <summary>Fails the test if Coyote finds a bug in <paramref name="iterations"/> iterations of <paramref name="body"/>.</summary>
    public static void Check(ITestOutputHelper output, Func<Task> body, uint iterations = DefaultIterations,
        Func<Configuration, Configuration>? configure = null, [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        var report = Explore(body, iterations, configure, test);
        output.WriteLine(report.Summary);
        if (report.BugFound) output.WriteLine(report.Details);
        Assert.False(report.BugFound, $"Coyote found a bug at iteration {report.BugIteration}:\n{report.Details}");
    }

    /// <summary>Runs the engine and returns what it found, without judging (the harness self-test wants a bug).</summary>
    public static Exploration Explore(Func<Task> body, uint iterations, Func<Configuration, Configuration>? configure = null,
        [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        RequireRewritten();
        if (uint.TryParse(Environment.GetEnvironmentVariable("WISP_COYOTE_ITERATIONS"), out var overridden)) iterations = overridden;
        var configuration = Configuration.Create()
            .WithTestingIterations(iterations)
            .WithTelemetryEnabled(false)
            .WithRandomGeneratorSeed(Seed)
            .WithMaxSchedulingSteps(20_000)
            // A lost wake-up shows as "potential deadlock" from Coyote's periodic monitor (no scheduling step for
            // this long). 1 s by default; CI runs other test projects beside this one on 2 cores, so allow more.
            .WithDeadlockTimeout(5_000);
        if (configure is not null) configuration = configure(configuration);
        // For deeper local runs: WISP_COYOTE_STRATEGY picks one strategy instead of Coyote's default portfolio.
        switch (Environment.GetEnvironmentVariable("WISP_COYOTE_STRATEGY"))
        {
            case "random": configuration = configuration.WithRandomStrategy(); break;
            case "pct": configuration = configuration.WithPrioritizationStrategy(false, 10); break;
            case "fairpct": configuration = configuration.WithPrioritizationStrategy(true, 10); break;
            case "prob": configuration = configuration.WithProbabilisticStrategy(3); break;
            case "delay": configuration = configuration.WithDelayBoundingStrategy(false, 10); break;
            case "ql": configuration = configuration.WithQLearningStrategy(); break;
        }
        // Replays a schedule saved by a failing run (its path is printed in the failure message).
        if (Environment.GetEnvironmentVariable("WISP_COYOTE_REPLAY") is { Length: > 0 } replay)
            configuration = configuration.WithReproducibleTrace(File.ReadAllText(replay)).WithTestingIterations(1);
        using var engine = TestingEngine.Create(configuration, body);
        uint started = 0;   // the engine stops at the first bug, so the last iteration started is the one that found it
        engine.RegisterStartIterationCallBack(i => started = i + 1);
        engine.Run();
        var report = engine.TestReport;
        var details = new StringBuilder();
        if (report.NumOfFoundBugs > 0)
        {
            foreach (var bug in report.BugReports) details.AppendLine(bug);
            try
            {
                var path = Path.Combine(Path.GetTempPath(), "wisp-coyote", $"{test}.trace");
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, engine.ReproducibleTrace);
                details.AppendLine($"schedule saved: replay it with WISP_COYOTE_REPLAY={path} and a test filter");
            }
            catch (IOException) { }
            details.AppendLine("--- trace (last iteration with a bug) ---");
            details.AppendLine(Tail(engine.ReadableTrace, 12_000));
        }
        return new Exploration(
            report.NumOfFoundBugs > 0,
            report.NumOfFoundBugs > 0 ? (int)started : 0,
            report.BugReports.ToList(),
            $"{engine.GetReport().Trim()} (seed {Seed})",
            details.ToString());
    }

    /// <summary>
    /// The seed of Coyote's random choices: fixed, so a CI failure replays the same schedules. Set
    /// WISP_COYOTE_SEED to explore other schedules, and WISP_COYOTE_ITERATIONS to run every test longer.
    /// </summary>
    private static uint Seed => uint.TryParse(Environment.GetEnvironmentVariable("WISP_COYOTE_SEED"), out var s) ? s : 20251;

    /// <summary>
    /// Without rewriting, Coyote does not control the Tasks and reports a false deadlock on the first iteration;
    /// say so plainly instead.
    /// </summary>
    public static void RequireRewritten()
    {
        var missing = new[] { typeof(Systematic).Assembly, typeof(Node).Assembly }
            .Where(a => !RewritingEngine.IsAssemblyRewritten(a))
            .Select(a => $"{a.GetName().Name} ({a.Location})")
            .ToList();
        if (missing.Count > 0)
            Assert.Fail("Coyote systematic tests need rewritten assemblies, but these are not: " + string.Join(", ", missing) +
                ". Build the project with `dotnet build` (its AfterBuild target runs `dotnet tool restore` and `coyote rewrite`)," +
                " or run tests/Wisp.Core.SystematicTests/run.sh. Skipping the rewrite would make every test a false deadlock.");
    }

    private static string Tail(string text, int max) => text.Length <= max ? text : "..." + text[^max..];
}

internal sealed record Exploration(bool BugFound, int BugIteration, IReadOnlyList<string> Bugs, string Summary, string Details);
