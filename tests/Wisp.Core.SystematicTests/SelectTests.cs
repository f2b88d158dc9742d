using Microsoft.Coyote.Specifications;
using Wisp.SystematicTests.Harness;
using Xunit.Abstractions;

namespace Wisp.SystematicTests;

/// <summary>
/// Select against close between coroutines of one process. Channels and select are loop-local, but which
/// coroutine runs first depends on the order in which messages from other threads reach the mailbox.
/// </summary>
public class SelectTests(ITestOutputHelper output)
{
    /// <summary>
    /// Coroutine A selects (receive ch1 | receive topic x); coroutine B selects (send on ch2 | receive topic y);
    /// coroutine C closes ch1 and ch2 when a "close" message comes. x, y and close are sent from three threads.
    /// Each select completes exactly once (receive from closed ch1 gives Ok=false; a send case on closed ch2 raises
    /// ChannelClosedException), and each of x and y is received exactly once: by the select, or later from its
    /// channel.
    /// </summary>
    [Fact]
    public void Select_racing_close_completes_once_and_loses_no_message() =>
        Systematic.Check(output, async () =>
        {
            var t = new TestNode();
            var (pid, exited) = t.SpawnGated(async p =>
            {
                var ch1 = p.NewChannel<int>();
                var ch2 = p.NewChannel<int>();
                var x = p.Listen("x");
                var y = p.Listen("y");
                var close = p.Listen("close");
                var outcomes = p.NewChannel<string>(2);

                p.Go(async () =>
                {
                    var r = await p.Select(ch1.CaseReceive(), x.CaseReceive());
                    await outcomes.Send(r.Index == 1 ? "x" : r.Ok ? "ch1 value" : "ch1 closed");
                });
                p.Go(async () =>
                {
                    string outcome;
                    try
                    {
                        var r = await p.Select(ch2.CaseSend(7), y.CaseReceive());
                        outcome = r.Index == 1 ? "y" : "ch2 sent";
                    }
                    catch (ChannelClosedException)
                    {
                        outcome = "ch2 closed";
                    }
                    await outcomes.Send(outcome);
                });
                p.Go(async () =>
                {
                    await close.Receive();
                    ch1.Close();
                    ch2.Close();
                });

                var seen = new HashSet<string>();
                for (int i = 0; i < 2; i++) seen.Add((await outcomes.Receive()).Value);
                Specification.Assert(seen.Count == 2 && (seen.Contains("x") || seen.Contains("ch1 closed"))
                    && (seen.Contains("y") || seen.Contains("ch2 closed")), "select outcomes: {0}", string.Join(", ", seen));
                Specification.Assert(!outcomes.TryReceive(out var extra, out _), "a select completed twice: {0}", extra);

                await p.Expect("finish");      // sent after x, y and close were all delivered
                int xLeft = x.Count, yLeft = y.Count;
                Specification.Assert(xLeft + (seen.Contains("x") ? 1 : 0) == 1, "x received {0} time(s)", xLeft + (seen.Contains("x") ? 1 : 0));
                Specification.Assert(yLeft + (seen.Contains("y") ? 1 : 0) == 1, "y received {0} time(s)", yLeft + (seen.Contains("y") ? 1 : 0));
                return "ok";
            });
            await Task.WhenAll(
                Task.Run(() => t.Node.Send(pid, "x", 1)),
                Task.Run(() => t.Node.Send(pid, "y", 2)),
                Task.Run(() => t.Node.Send(pid, "close", null)));
            t.Node.Send(pid, "finish", null);
            var result = await exited;
            Specification.Assert(result.Value is "ok", "process ended with {0}", result.Describe());
        }, iterations: 300);   // few interleavings: only the arrival order of three messages varies
}
