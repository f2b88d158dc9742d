using Microsoft.Coyote.Specifications;
using Wisp.SystematicTests.Harness;
using Xunit.Abstractions;

namespace Wisp.SystematicTests;

/// <summary>(b) Spawn sets monitors and links up before the child first runs.</summary>
public class SpawnTests(ITestOutputHelper output)
{
    /// <summary>
    /// A parent spawns a monitored child that returns at once, and a monitored+linked child that fails at once,
    /// while a third process keeps the parent's mailbox busy. The parent always gets both EXITs (with the right
    /// results) and the LINK_DOWN (it traps links), exactly once each, and its topology holds nothing afterwards.
    /// A missed EXIT leaves the parent waiting forever: Coyote reports a deadlock.
    /// </summary>
    [Fact]
    public void Spawned_child_that_exits_at_once_is_always_seen() =>
        Systematic.Check(output, async () =>
        {
            var t = new TestNode();
            var (_, exited) = t.SpawnGated(async p =>
            {
                p.TrapLinks = true;
                var self = Internals.ProcessOf(p);
                var ok = p.Spawn(_ => Task.FromResult<object?>(42), SpawnOptions.Monitored);
                var failed = p.Spawn(_ => throw new InvalidOperationException("boom"), SpawnOptions.Monitored | SpawnOptions.Linked);
                var noisy = p.Spawn(c =>
                {
                    for (int i = 0; i < 3; i++) c.Send(p.Pid, "noise", i);
                    return Task.FromResult<object?>(null);
                });

                int exitsOk = 0, exitsFailed = 0, linkDowns = 0;
                while (exitsOk + exitsFailed + linkDowns < 3)
                {
                    var (e, open) = await p.Events.Receive();
                    Specification.Assert(open, "events closed");
                    if (e.Kind == EventKind.Exit && e.From == ok)
                    {
                        exitsOk++;
                        Specification.Assert(e.Result!.Value is 42, "EXIT of the returning child carries {0}", e.Result);
                    }
                    else if (e.Kind == EventKind.Exit && e.From == failed)
                    {
                        exitsFailed++;
                        Specification.Assert(e.Result!.Error?.Message == "boom", "EXIT of the failing child carries {0}", e.Result);
                    }
                    else if (e.Kind == EventKind.LinkDown && e.From == failed) linkDowns++;
                    else Specification.Assert(false, "unexpected event {0}", e);
                }
                Specification.Assert(exitsOk == 1 && exitsFailed == 1 && linkDowns == 1,
                    "events: {0} EXIT ok, {1} EXIT failed, {2} LINK_DOWN", exitsOk, exitsFailed, linkDowns);
                Specification.Assert(Internals.Monitoring(self).Count == 0, "parent still monitors {0}", string.Join(",", Internals.Monitoring(self)));
                Specification.Assert(Internals.Links(self).Count == 0, "parent still linked to {0}", string.Join(",", Internals.Links(self)));
                for (int i = 0; i < 3; i++) await p.Expect("noise");
                return "seen";
            });
            var result = await exited;
            Specification.Assert(result.Value is "seen", "parent ended with {0}", result.Describe());
        });

    /// <summary>
    /// A linked child that fails at once always kills a parent that does not trap links, however the child's
    /// exit interleaves with the parent's spawn call.
    /// </summary>
    [Fact]
    public void Linked_child_failing_at_once_always_takes_the_parent_down() =>
        Systematic.Check(output, async () =>
        {
            var t = new TestNode();
            var (_, exited) = t.SpawnGated(async p =>
            {
                p.Spawn(_ => throw new InvalidOperationException("boom"), SpawnOptions.Linked);
                await p.Expect("never");
                return "survived";
            });
            var result = await exited;
            Specification.Assert(result.Error?.Message?.StartsWith("linked process failed") == true, "parent ended with {0}", result.Describe());
        });

    /// <summary>
    /// A process is visible in the process table (ProcessesOn, as StopHostAsync uses it) just before Spawn
    /// queues its first slice. A CANCEL posted in that instant must not get its loop queued twice: the checking
    /// scheduler asserts that a process is never queued again before its queued slice has started.
    /// </summary>
    [Fact]
    public void Post_racing_the_first_slice_of_a_new_process_never_queues_it_twice() =>
        Systematic.Check(output, async () =>
        {
            var t = new TestNode();
            var spawner = Task.Run(() => t.Spawn(async p =>
            {
                await p.Events.Receive();
                await p.Expect("finish");
                return null;
            }));
            var canceller = Task.Run(() =>
            {
                foreach (var pid in t.Node.ProcessesOn(TestNode.HostId)) Cancel(t.Node, pid);
            });
            await Task.WhenAll(spawner, canceller);
            var child = await spawner;
            var exited = t.Node.WhenExited(child);   // alive: it waits for "finish"
            Cancel(t.Node, child);                   // in case the canceller did not see it
            t.Node.Send(child, "finish", null);
            await exited;                            // no process code is left running when the iteration ends
        }, configure: c => c.WithMemoryAccessRaceCheckingEnabled(true));

    private static void Cancel(Node node, Pid pid)
    {
        try
        {
            node.Cancel(pid, "stop");
        }
        catch (WispException e) when (e.Kind == ErrorKind.NotFound) { }
    }
}
