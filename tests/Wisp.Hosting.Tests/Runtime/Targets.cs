using Microsoft.Extensions.Logging;
using Wisp.Hosting;

// Process types that the tests' process.dotnet entries point at (type: Wisp.Tests.Runtime.<Class>).
namespace Wisp.Tests.Runtime;

public static class ReturnShapes
{
    public static Task PlainTask(ProcessContext p) => Task.CompletedTask;

    public static async Task<int> TaskOfInt(ProcessContext p)
    {
        await p.Sleep(TimeSpan.FromMilliseconds(1));
        return 42;
    }

    public static async ValueTask<string> ValueTaskOfString(ProcessContext p)
    {
        await p.Sleep(TimeSpan.FromMilliseconds(1));
        return "hi";
    }

    public static ValueTask PlainValueTask(ProcessContext p) => ValueTask.CompletedTask;

    public static void Void(ProcessContext p) { }

    public static int PlainInt(ProcessContext p) => 7;

    public static string PlainString(ProcessContext p) => "plain";

    public static int Throws(ProcessContext p) => throw new InvalidOperationException("kaput");

    public static async Task<int> ThrowsAsync(ProcessContext p)
    {
        await p.Sleep(TimeSpan.FromMilliseconds(1));
        throw new InvalidOperationException("async kaput");
    }

    public static ProcessError NonRetryable(ProcessContext p) => new("x", Retryable: false);
}

public static class Binding
{
    public static string Describe(ProcessContext p, Pid target, int count, string label) => $"{target}|{count}|{label}";

    public static int WithDefault(ProcessContext p, int a, int b = 5) => a + b;

    public static string Scalars(ProcessContext p, int n, long l, double d, bool b, string s, int? maybe, TimeSpan span) =>
        $"{n}|{l}|{d.ToString(System.Globalization.CultureInfo.InvariantCulture)}|{b}|{s}|{maybe?.ToString() ?? "null"}|{span.TotalMilliseconds}";

    public static int NotNull(ProcessContext p, int x) => x;

    public static string SpawnsTooMany(ProcessContext p, string entry)
    {
        try
        {
            p.Spawn(entry, p.HostId, 1, 2, 3);
            return "spawned";
        }
        catch (WispException e)
        {
            return $"{e.Kind}: {e.Message}";
        }
    }

    public static async Task SleepForever(ProcessContext p) => await p.Sleep(TimeSpan.FromMinutes(10));
}

public static class BadShapes
{
    public static int Overloaded(ProcessContext p) => 1;
    public static int Overloaded(ProcessContext p, int x) => x;
    public static int NoContext(int x) => x;
    public static int Empty() => 0;
    public static int ContextSecond(int x, ProcessContext p) => x;
}

public static class ServiceTargets
{
    public static int Fails(ProcessContext p, string token)
    {
        Probe.Record(token, p.Pid.ToString());
        throw new InvalidOperationException("boom");
    }

    public static int ReturnsNormally(ProcessContext p, string token)
    {
        Probe.Record(token, "ran");
        return 0;
    }

    public static ProcessError NonRetryable(ProcessContext p, string token)
    {
        Probe.Record(token, "ran");
        return new ProcessError("x", Retryable: false);
    }

    public static async Task IgnoresCancel(ProcessContext p, string token)
    {
        Probe.Record(token, "started");
        await p.Sleep(TimeSpan.FromMinutes(10));
        Probe.Record(token, "woke");
    }

    /// <summary>Records its start (and how many processes run on <paramref name="watchHost"/>), then its CANCEL.</summary>
    public static async Task HandlesCancel(ProcessContext p, string token, string name, string watchHost = "")
    {
        Probe.Record(token, watchHost.Length == 0 ? $"{name} started" : $"{name} started, {watchHost} runs {p.Node.ProcessesOn(watchHost).Count}");
        var (e, _) = await p.Events.Receive();
        Probe.Record(token, $"{name} {e.KindName}: {e.Reason}");
    }

    public static string Bound(ProcessContext p, string token, Pid pid, int n, double d, bool b)
    {
        Probe.Record(token, $"{pid}|{n}|{d.ToString(System.Globalization.CultureInfo.InvariantCulture)}|{b}");
        return "done";
    }
}

/// <summary>Processes run on a terminal host by WispRuntime.RunAsync (which watches them from the spawn on).</summary>
public static class TerminalTargets
{
    public static int LogsAndReturns(ProcessContext p)
    {
        p.Logger.LogInformation("hello from main");
        return 0;
    }

    public static async Task<string> ReadTwo(ProcessContext p)
    {
        var terminal = p.Feature<Terminal>() ?? throw new InvalidOperationException("no terminal");
        var first = await terminal.ReadLine();
        var second = await terminal.ReadLine();
        var third = await terminal.ReadLine();
        return $"{first}{second}{(third is null ? "" : "!not-eof")}";
    }

    public static string HasTerminal(ProcessContext p) => p.Feature<Terminal>() is null ? "no terminal" : "terminal";

    public static int Styled(ProcessContext p)
    {
        var terminal = p.Feature<Terminal>()!;
        terminal.Write(terminal.Cyan("c") + " ");
        terminal.Print(terminal.Green("ok") + terminal.Dim("."));
        terminal.PrintError(terminal.Yellow("warn"));
        return 0;
    }

    public static int Seven(ProcessContext p) => 7;

    public static bool False(ProcessContext p) => false;

    public static long Huge(ProcessContext p) => 1L << 40;

    public static int Throws(ProcessContext p) => throw new InvalidOperationException("it broke");

    public static async Task SleepForever(ProcessContext p) => await p.Sleep(TimeSpan.FromMinutes(10));
}
