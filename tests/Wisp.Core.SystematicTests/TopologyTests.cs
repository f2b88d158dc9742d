using Microsoft.Coyote.Specifications;
using Wisp.SystematicTests.Harness;
using Xunit.Abstractions;

namespace Wisp.SystematicTests;

/// <summary>(c)–(f) Monitors, links, names and terminate racing a process's exit.</summary>
public class TopologyTests(ITestOutputHelper output)
{
    /// <summary>
    /// (c) A watcher monitors a target while the target is told to exit. Either Monitor fails with "pid not
    /// registered" and no EXIT comes, or exactly one EXIT comes; a second Monitor never succeeds; afterwards the
    /// target's Monitors list is empty and the watcher's Monitoring list does not hold the target.
    /// </summary>
    [Fact]
    public void Monitor_racing_exit_gives_not_registered_or_exactly_one_exit() =>
        Systematic.Check(output, async () =>
        {
            var t = new TestNode();
            object? targetProcess = null;
            var (target, targetExited) = t.SpawnGated(async p =>
            {
                targetProcess = Internals.ProcessOf(p);
                await p.Expect("stop");
                return "stopped";
            });
            var (watcher, watcherExited) = t.SpawnGated(async p =>
            {
                var self = Internals.ProcessOf(p);
                bool monitored;
                try
                {
                    p.Monitor(target);
                    monitored = true;
                }
                catch (WispException e) when (e.IsNotRegistered())
                {
                    monitored = false;
                }
                try
                {
                    p.Monitor(target);
                    Specification.Assert(false, "monitored the same target twice");
                }
                catch (WispException e) when (e.IsNotRegistered() || e.Kind == ErrorKind.AlreadyExists) { }

                var events = await p.EventsUntil("finish");
                int exits = events.Count(e => e.Kind == EventKind.Exit && e.From == target);
                Specification.Assert(exits == (monitored ? 1 : 0), "monitored={0} but got {1} EXIT(s)", monitored, exits);
                Specification.Assert(events.Count == exits, "unexpected events: {0}", string.Join("; ", events));
                Specification.Assert(!Internals.Monitoring(self).Contains(target), "watcher's Monitoring still holds the exited target");
                return monitored;
            });

            await Task.Run(() => t.Node.TrySend(target, "stop"));
            var result = await targetExited;
            Specification.Assert(result.Value is "stopped", "target ended with {0}", result.Describe());
            Specification.Assert(Internals.Monitors(targetProcess!).Count == 0, "exited target's Monitors leaked: {0}",
                string.Join(",", Internals.Monitors(targetProcess!)));
            t.Node.Send(watcher, "finish", null);      // every EXIT is posted before WhenExited completes
            var w = await watcherExited;
            Specification.Assert(w.Error is null, "watcher failed: {0}", w.Describe());
        });

    private const int Names = 3;

    /// <summary>
    /// (d) A process registers names for a target, one after another, while the target exits and an outside
    /// thread unregisters one of them. Register either succeeds or fails with "process not found"; in every case
    /// each name is free once the target has exited (a new process can take it), and the target keeps no names.
    /// </summary>
    [Fact]
    public void Register_racing_exit_never_leaves_the_name_registered() =>
        Systematic.Check(output, async () =>
        {
            var t = new TestNode();
            object? targetProcess = null;
            var (target, targetExited) = t.SpawnGated(async p =>
            {
                targetProcess = Internals.ProcessOf(p);
                p.Registry.Register("own");
                await p.Expect("stop");
                return null;
            });
            var (_, registrarExited) = t.SpawnGated(async p =>
            {
                // Several attempts, yielding between them, so that some land while the target is exiting.
                for (int i = 0; i < Names; i++)
                {
                    try
                    {
                        p.Registry.Register($"svc{i}", target);
                    }
                    catch (WispException e) when (e.Kind == ErrorKind.NotFound)
                    {
                        return "target gone";
                    }
                    p.Send(p.Pid, "yield");
                    await p.Expect("yield");
                }
                return "registered";
            });
            var stop = Task.Run(() => t.Node.TrySend(target, "stop"));
            var unregister = Task.Run(() => t.Node.Registry.Unregister("svc0"));

            await targetExited;
            var registrar = await registrarExited;
            await Task.WhenAll(stop, unregister);
            Specification.Assert(registrar.Value is "registered" or "target gone", "registrar ended with {0}", registrar.Describe());
            foreach (var name in Enumerable.Range(0, Names).Select(i => $"svc{i}").Append("own"))
                Specification.Assert(t.Node.Registry.Lookup(name) is null, "name '{0}' left registered to {1}, which has exited", name, t.Node.Registry.Lookup(name));
            Specification.Assert(Internals.Names(targetProcess!).Count == 0, "exited target keeps names");

            var (_, nextExited) = t.SpawnGated(p =>
            {
                for (int i = 0; i < Names; i++) p.Registry.Register($"svc{i}");
                p.Registry.Register("own");
                return Task.FromResult<object?>("took the names");
            });
            var next = await nextExited;
            Specification.Assert(next.Value is "took the names", "a new process could not take the names: {0}", next.Describe());
        });

    /// <summary>
    /// (e) A links to and unlinks from B, a few times, then links once more, while B fails. A either survives
    /// or dies with "linked process failed"; nothing else. Afterwards neither side's Links holds the other.
    /// </summary>
    [Fact]
    public void Link_and_error_exit_racing_unlink_leaves_no_link_behind() =>
        Systematic.Check(output, async () =>
        {
            var t = new TestNode();
            object? bProcess = null;
            var (b, bExited) = t.SpawnGated(async p =>
            {
                bProcess = Internals.ProcessOf(p);
                await p.Expect("fail");
                throw new InvalidOperationException("boom");
            });
            var (a, aExited) = t.SpawnGated(async p =>
            {
                var aProcess = Internals.ProcessOf(p);
                // Link and unlink a few times, yielding in between, so that some calls land while B is exiting.
                for (int i = 0; i < 3; i++)
                {
                    try
                    {
                        p.Link(b);
                    }
                    catch (WispException e) when (e.IsNotRegistered())
                    {
                        break;
                    }
                    await p.Expect("unlink");
                    p.Unlink(b);
                    p.Send(p.Pid, "unlink");
                }
                try
                {
                    p.Link(b);                // a last link, never undone: only B's exit can end it
                }
                catch (WispException e) when (e.IsNotRegistered()) { }
                await p.Expect("finish");     // sent once B has exited
                Specification.Assert(!Internals.Links(aProcess).Contains(b), "A still linked to B, which has exited");
                return "survived";
            });
            var fail = Task.Run(() => t.Node.TrySend(b, "fail"));
            var unlink = Task.Run(() => t.Node.TrySend(a, "unlink"));

            var bResult = await bExited;
            Specification.Assert(bResult.Error?.Message == "boom", "B ended with {0}", bResult.Describe());
            await Task.WhenAll(fail, unlink);
            t.Node.TrySend(a, "finish");
            var aResult = await aExited;
            Specification.Assert(aResult.Value is "survived" || aResult.Error?.Message.StartsWith("linked process failed") == true,
                "A ended with {0}", aResult.Describe());
            Specification.Assert(Internals.Links(bProcess!).Count == 0, "B still linked to {0}", string.Join(",", Internals.Links(bProcess!)));
        }, iterations: 4000);   // the window (a link landing while B is exiting, still in the table) is narrow: link-after-exit is found near 2,600

    /// <summary>
    /// (e) With trap_links: A links to B, B fails while A unlinks. A gets at most one LINK_DOWN, none if Link
    /// failed, and no link is left behind.
    /// </summary>
    [Fact]
    public void Trapped_link_down_racing_unlink_arrives_at_most_once() =>
        Systematic.Check(output, async () =>
        {
            var t = new TestNode();
            var (b, bExited) = t.SpawnGated(async p =>
            {
                await p.Expect("fail");
                throw new InvalidOperationException("boom");
            });
            var (a, aExited) = t.SpawnGated(async p =>
            {
                p.TrapLinks = true;
                var self = Internals.ProcessOf(p);
                bool linked = true;
                try
                {
                    p.Link(b);
                }
                catch (WispException e) when (e.IsNotRegistered())
                {
                    linked = false;
                }
                await p.Expect("unlink");
                p.Unlink(b);
                var events = await p.EventsUntil("finish");
                int downs = events.Count(e => e.Kind == EventKind.LinkDown && e.From == b);
                Specification.Assert(downs <= (linked ? 1 : 0), "linked={0} but got {1} LINK_DOWN(s)", linked, downs);
                Specification.Assert(events.Count == downs, "unexpected events: {0}", string.Join("; ", events));
                Specification.Assert(Internals.Links(self).Count == 0, "A still linked");
                return "survived";
            });
            var fail = Task.Run(() => t.Node.TrySend(b, "fail"));
            var unlink = Task.Run(() => t.Node.TrySend(a, "unlink"));
            await bExited;
            await Task.WhenAll(fail, unlink);
            t.Node.Send(a, "finish", null);
            var aResult = await aExited;
            Specification.Assert(aResult.Value is "survived", "A ended with {0}", aResult.Describe());
        });

    /// <summary>
    /// (f) Terminate (twice, from two threads) racing the target's normal return. Two monitors, one set by
    /// spawn_monitored and one by Monitor, each get exactly one EXIT, carrying the same result: the returned
    /// value or "process terminated".
    /// </summary>
    [Fact]
    public void Terminate_racing_normal_exit_gives_exactly_one_exit_per_monitor() =>
        Systematic.Check(output, async () =>
        {
            var t = new TestNode();
            var spawned = new TaskCompletionSource<Pid>(TaskCreationOptions.RunContinuationsAsynchronously);
            var monitoring = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

            var (parent, parentExited) = t.SpawnGated(async p =>
            {
                var child = p.Spawn(async c =>
                {
                    await c.Expect("return");
                    return "normal";
                }, SpawnOptions.Monitored);
                spawned.SetResult(child);
                return await p.EventsUntil("finish");
            });
            var target = await spawned.Task;
            var targetExited = t.Node.WhenExited(target);    // the target waits for "return": it is alive
            var targetProcess = Internals.ProcessOf(t.Node, target);
            var (other, otherExited) = t.SpawnGated(async p =>
            {
                p.Monitor(target);
                monitoring.SetResult();
                return await p.EventsUntil("finish");
            });
            await monitoring.Task;

            var racers = new[]
            {
                Task.Run(() => t.Node.TrySend(target, "return")),
                Task.Run(() => Terminate(t.Node, target)),
                Task.Run(() => Terminate(t.Node, target)),
                Task.Run(() => Terminate(t.Node, target)),
            };
            var result = await targetExited;
            await Task.WhenAll(racers);
            Specification.Assert(result.Value is "normal" || result.Error?.Message == "process terminated",
                "target ended with {0}", result.Describe());
            Specification.Assert(Internals.Monitors(targetProcess).Count == 0, "exited target's Monitors leaked");

            foreach (var (watcher, exited) in new[] { (parent, parentExited), (other, otherExited) })
            {
                t.Node.Send(watcher, "finish", null);
                var r = await exited;
                var events = (List<ProcessEvent>)r.Value!;
                Specification.Assert(events.Count == 1 && events[0].Kind == EventKind.Exit && events[0].From == target,
                    "watcher {0} got {1}", watcher, string.Join("; ", events));
                Specification.Assert(events[0].Result == result, "EXIT carries {0}, the target ended with {1}", events[0].Result, result);
            }
        }, iterations: 1000, configure: c => c.WithMemoryAccessRaceCheckingEnabled(true));

    private static void Terminate(Node node, Pid pid)
    {
        try
        {
            node.Terminate(pid);
        }
        catch (WispException e) when (e.Kind == ErrorKind.NotFound) { }
    }
}
