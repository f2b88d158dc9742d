using System.Reflection;
using Microsoft.Coyote.Specifications;
using Wisp.SystematicTests.Harness;
using Xunit.Abstractions;

namespace Wisp.SystematicTests;

/// <summary>
/// (i) Watches across nodes (RemoteWatches): a watch of a process of another node ends with exactly one EXIT or
/// LINK_DOWN however its endings race (the target's exit reported by its node, the loss of that node, the
/// watcher's own unmonitor or unlink), nothing arrives after an unmonitor or unlink returned, and no watch is
/// left behind. The other node is a fake transport: what it reports comes from threads Coyote schedules.
/// </summary>
public class RemoteWatchTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void A_remote_watch_ends_once_when_its_exit_races_the_loss_of_its_node(bool link, bool unwatch) =>
        Systematic.Check(output, async () =>
        {
            var t = new TestNode();
            var far = new FakeNode("b", creation: 7);
            t.Node.Remote.Attach(far);
            var target = new Pid("b", TestNode.HostId, 1, 7);
            var watching = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var marked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            object? self = null;
            var (watcher, watcherExited) = t.SpawnGated(async p =>
            {
                self = Internals.ProcessOf(p);
                p.TrapLinks = true;
                if (link) p.Link(target);
                else p.Monitor(target);
                watching.SetResult();
                if (unwatch)
                {
                    if (link) p.Unlink(target);
                    else p.Unmonitor(target);
                    p.Send(p.Pid, "unwatched");
                    marked.SetResult();
                    var before = await p.EventsUntil("unwatched");
                    var after = await p.EventsUntil("finish");
                    Specification.Assert(after.Count == 0, "an event came after the unwatch returned: {0}", string.Join("; ", after));
                    return before;
                }
                marked.SetResult();
                return await p.EventsUntil("finish");
            });
            await watching.Task;
            var kind = link ? RemoteSignalKind.LinkDown : RemoteSignalKind.Exit;
            var exit = Task.Run(() => t.Node.Remote.Receive(watcher, new RemoteSignal(kind, target, ExitResult.Failure(new ProcessError("remote failure")))));
            var loss = Task.Run(() =>
            {
                far.Reachable = false;   // the transport stops reporting the node before it reports the loss
                t.Node.Remote.NodeDown("b", 7, "lost");
            });
            await Task.WhenAll(exit, loss, marked.Task);   // "finish" comes after the marker
            t.Node.Send(watcher, "finish", null);
            var result = await watcherExited;
            Specification.Assert(result.Error is null, "watcher failed: {0}", result.Describe());
            var events = (List<ProcessEvent>)result.Value!;
            int ends = events.Count(e => e.From == target && e.Kind == (link ? EventKind.LinkDown : EventKind.Exit));
            Specification.Assert(events.Count == ends, "unexpected events: {0}", string.Join("; ", events));
            Specification.Assert(unwatch ? ends <= 1 : ends == 1, "unwatch={0}: {1} end(s) of the watch", unwatch, ends);
            Specification.Assert(OutboundWatches(t.Node) == 0, "a remote watch was left behind");
            Specification.Assert(!Internals.Monitoring(self!).Contains(target) && !Internals.Links(self!).Contains(target),
                "the watcher still holds the target");
            Specification.Assert(far.Sent.Count(s => s.Kind is RemoteSignalKind.Monitor or RemoteSignalKind.Link) == 1, "the request was not sent once");
        });

    /// <summary>
    /// A monitor or link of a process of another node made while that node is being lost: either it fails with
    /// "node not found" and nothing comes, or it succeeds and exactly one EXIT or LINK_DOWN comes; no watch is left.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_remote_watch_made_while_its_node_is_lost_fails_or_ends_once(bool link) =>
        Systematic.Check(output, async () =>
        {
            var t = new TestNode();
            var far = new FakeNode("b", creation: 7);
            t.Node.Remote.Attach(far);
            var target = new Pid("b", TestNode.HostId, 1, 7);
            var (watcher, watcherExited) = t.SpawnGated(async p =>
            {
                p.TrapLinks = true;
                bool watched = true;
                try
                {
                    if (link) p.Link(target);
                    else p.Monitor(target);
                }
                catch (WispException e) when (e.Kind == ErrorKind.NotFound && e.Message == "node not found: b")
                {
                    watched = false;
                }
                var events = await p.EventsUntil("finish");
                return (watched, events);
            });
            await Task.Run(() =>
            {
                far.Reachable = false;
                t.Node.Remote.NodeDown("b", 7, "lost");
            });
            t.Node.Send(watcher, "finish", null);
            var result = await watcherExited;
            Specification.Assert(result.Error is null, "watcher failed: {0}", result.Describe());
            var (watched, events) = ((bool, List<ProcessEvent>))result.Value!;
            Specification.Assert(events.Count == (watched ? 1 : 0), "watched={0} but got: {1}", watched, string.Join("; ", events));
            Specification.Assert(OutboundWatches(t.Node) == 0, "a remote watch was left behind");
        });

    /// <summary>The watches left in the node's remote table.</summary>
    private static int OutboundWatches(Node node)
    {
        var watches = typeof(RemoteNodes).GetField("_watches", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(node.Remote)!;
        var outbound = (System.Collections.IDictionary)watches.GetType().GetField("_outbound", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(watches)!;
        lock (watches.GetType().GetField("_gate", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(watches)!) return outbound.Count;
    }

    /// <summary>Another node as its transport shows it: reachable until it is not; signals to it are recorded.</summary>
    private sealed class FakeNode(string name, uint creation) : IRemoteTransport
    {
        public volatile bool Reachable = true;
        public List<RemoteSignal> Sent { get; } = [];

        public uint? CreationOf(string node) => node == name && Reachable ? creation : null;
        public void Send(Pid target, Message message) { }

        public void Signal(Pid target, RemoteSignal signal)
        {
            lock (Sent) Sent.Add(signal);
        }
    }
}
