using Microsoft.Coyote.Specifications;
using Wisp.SystematicTests.Harness;
using Xunit.Abstractions;

namespace Wisp.SystematicTests;

/// <summary>
/// Unmonitor and unlink racing the other side's exit: once the call has returned, the exit must no longer
/// reach the caller (process-model.md §2.7: "After [unmonitor], no EXIT arrives for that target"; Erlang's
/// unlink gives the same guarantee for links). The caller sends itself a marker right after the call returns;
/// the mailbox is FIFO, so an EXIT or LINK_DOWN that arrives after the marker was posted after the call returned.
/// </summary>
public class UnbindTests(ITestOutputHelper output)
{
    [Fact]
    public void No_exit_is_posted_after_unmonitor_returns() =>
        Systematic.Check(output, async () =>
        {
            var t = new TestNode();
            var marked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var (target, targetExited) = t.SpawnGated(async p =>
            {
                await p.Expect("stop");
                return null;
            });
            var (watcher, watcherExited) = t.SpawnGated(async p =>
            {
                try
                {
                    p.Monitor(target);
                }
                catch (WispException e) when (e.IsNotRegistered())
                {
                    marked.SetResult();
                    return "not registered";
                }
                await p.Expect("unmonitor");
                p.Unmonitor(target);
                p.Send(p.Pid, "marker");
                marked.SetResult();
                var order = await p.ArrivalsUntil("finish");
                int marker = order.IndexOf("marker");
                Specification.Assert(order.LastIndexOf("EXIT") < marker,
                    "EXIT posted after Unmonitor returned (arrivals: {0})", string.Join(", ", order));
                return "ok";
            });
            var stop = Task.Run(() => t.Node.TrySend(target, "stop"));
            var unmonitor = Task.Run(() => t.Node.TrySend(watcher, "unmonitor"));
            await targetExited;
            await Task.WhenAll(stop, unmonitor, marked.Task);
            t.Node.TrySend(watcher, "finish");
            var w = await watcherExited;
            Specification.Assert(w.Error is null, "watcher failed: {0}", w.Describe());
        });

    [Fact]
    public void No_link_down_is_posted_after_unlink_returns() =>
        Systematic.Check(output, async () =>
        {
            var t = new TestNode();
            var marked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var (b, bExited) = t.SpawnGated(async p =>
            {
                await p.Expect("fail");
                throw new InvalidOperationException("boom");
            });
            var (a, aExited) = t.SpawnGated(async p =>
            {
                p.TrapLinks = true;
                try
                {
                    p.Link(b);
                }
                catch (WispException e) when (e.IsNotRegistered())
                {
                    marked.SetResult();
                    return "not registered";
                }
                await p.Expect("unlink");
                p.Unlink(b);
                p.Send(p.Pid, "marker");
                marked.SetResult();
                var order = await p.ArrivalsUntil("finish");
                int marker = order.IndexOf("marker");
                Specification.Assert(order.LastIndexOf("LINK_DOWN") < marker,
                    "LINK_DOWN posted after Unlink returned (arrivals: {0})", string.Join(", ", order));
                return "ok";
            });
            var fail = Task.Run(() => t.Node.TrySend(b, "fail"));
            var unlink = Task.Run(() => t.Node.TrySend(a, "unlink"));
            await bExited;
            await Task.WhenAll(fail, unlink, marked.Task);
            t.Node.TrySend(a, "finish");
            var r = await aExited;
            Specification.Assert(r.Error is null, "A failed: {0}", r.Describe());
        });
}
