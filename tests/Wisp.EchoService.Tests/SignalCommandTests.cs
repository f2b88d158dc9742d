using System.Text.RegularExpressions;

namespace Wisp.EchoService.Tests;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM to the real wisp command running the seed's Lua echo service while it answers a
/// burst of lines: the first signal shuts it down gracefully (the CLI's process is stopped, exit code 130) and
/// nothing is printed twice; a second signal during that shutdown exits at once with code 1.
/// </summary>
public sealed class SignalCommandTests : IDisposable
{
    private const int Burst = 200;
    private static readonly Regex Reply = new("  L([0-9]+)");

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private ChildProcess StartUnderLoad(params string[] extra)
    {
        var folder = SeedFolder.CopyTo(_folder);
        var cli = EchoProcess.StartWisp(Path.GetTempPath(), ["-C", folder, "run", "-v", "-x", "app:terminal/app:cli", .. extra]);
        for (int i = 1; i <= Burst; i++) cli.WriteLine($"l{i}");
        return cli;
    }

    [Theory]
    [InlineData(2)]
    [InlineData(15)]
    public async Task One_signal_under_load_shuts_down_gracefully_with_130_printing_nothing_twice(int signal)
    {
        await using var cli = StartUnderLoad();
        await cli.Output.ExpectAsync("  L3");   // answering the burst
        cli.Signal(signal);

        Assert.Equal(130, await cli.WaitForExitAsync(TimeSpan.FromSeconds(60)));   // the relay's 10 s stop timeout, and margin
        var replies = Reply.Matches(cli.Output.Text).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(replies.Distinct().Count(), replies.Count);
        Assert.True(replies.Count < Burst, "the burst was answered in full before the signal: nothing was under load");
        Assert.Single(Regex.Matches(cli.Error.Text, "interrupted: stopping"));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(15)]
    public async Task A_second_signal_during_the_shutdown_exits_at_once_with_1(int signal)
    {
        // The relay ignores CANCEL (the seed's), so with a long stop timeout the graceful shutdown is still waiting for
        // it when the second signal comes, however slow the machine.
        await using var cli = StartUnderLoad("-o", "app:relay-service:lifecycle.stop_timeout=300s");
        await cli.Output.ExpectAsync("  L3");
        cli.Signal(signal);
        await cli.Error.ExpectAsync("interrupted: stopping");
        cli.Signal(signal);

        Assert.Equal(1, await cli.WaitForExitAsync(TimeSpan.FromSeconds(60)));
    }
}
