using Microsoft.Coyote.Specifications;
using Wisp.SystematicTests.Harness;
using Xunit.Abstractions;

namespace Wisp.SystematicTests;

/// <summary>
/// A process's exit hooks (what closes a Lua process's state) against every way out racing each other.
/// </summary>
public class ExitHookTests(ITestOutputHelper output)
{
    /// <summary>
    /// A process with an exit hook ends by whichever comes first of: its own return (on a "return" message), a
    /// cancel, two terminates, and the failure of a linked partner, each from its own thread. The hook runs exactly
    /// once, with the result the monitor then hears, and before the monitor hears it.
    /// </summary>
    [Fact]
    public void The_exit_hook_runs_exactly_once_whichever_exit_wins() =>
        Systematic.Check(output, async () =>
        {
            var t = new TestNode();
            int runs = 0;
            ExitResult? hooked = null;
            var partnerGo = new TaskCompletionSource<(Pid, Task<ExitResult>)>(TaskCreationOptions.RunContinuationsAsynchronously);
            var (pid, exited) = t.SpawnGated(async p =>
            {
                p.OnExit(result =>
                {
                    runs++;
                    hooked = result;
                });
                var partner = p.Spawn(async q =>
                {
                    await q.Inbox.Receive();
                    throw new InvalidOperationException("partner failed");
                }, SpawnOptions.Linked);
                partnerGo.SetResult((partner, t.Node.WhenExited(partner)));   // alive until "fail" or this process's failure
                await p.Expect("return");
                return "returned";
            });
            var (partner, partnerExited) = await partnerGo.Task;
            await Task.WhenAll(
                Task.Run(() => t.Node.TrySend(pid, "return")),
                Task.Run(() => t.Node.TryCancel(pid, "stop")),
                Task.Run(() => t.Node.TryTerminate(pid)),
                Task.Run(() => t.Node.TryTerminate(pid)),
                Task.Run(() => t.Node.TrySend(partner, "fail")));
            var result = await exited;
            await partnerExited;   // nothing of the iteration may outlive it
            Specification.Assert(runs == 1, "the exit hook ran {0} time(s)", runs);
            Specification.Assert(ReferenceEquals(hooked, result), "the hook saw {0}, the monitor {1}", hooked, result.Describe());
        });
}
