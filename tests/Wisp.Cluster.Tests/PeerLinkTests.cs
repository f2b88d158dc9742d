using Akka.Actor;

namespace Wisp.Cluster.Tests;

/// <summary>
/// The link to one peer on its own: batches leave under the credit window, and a peer that takes nothing makes the
/// sender's queue fill to its bound, where a send fails with LimitExceeded instead of growing memory.
/// </summary>
public class PeerLinkTests
{
    /// <summary>A peer endpoint that records the frames it is told and never gives credit back.</summary>
    private sealed class Silent : ReceiveActor
    {
        public Silent(List<int> frames) => Receive<byte[]>(frame =>
        {
            lock (frames) frames.Add(frame.Length);
        });
    }

    /// <summary>A peer endpoint that records the frames it is told.</summary>
    private sealed class Recording : ReceiveActor
    {
        public Recording(List<byte[]> frames) => Receive<byte[]>(frame =>
        {
            lock (frames) frames.Add(frame);
        });
    }

    private static void Copy(FrameBuffer buffer, byte[] envelope)
    {
        envelope.CopyTo(buffer.GetSpan(envelope.Length));
        buffer.Advance(envelope.Length);
    }

    [Fact]
    public async Task A_peer_that_gives_no_credit_holds_the_window_and_the_queue_stops_at_its_bound()
    {
        using var system = ActorSystem.Create("link-test", "akka.loglevel = OFF\nakka.stdout-loglevel = OFF");
        var frames = new List<int>();
        var peer = system.ActorOf(Props.Create(() => new Silent(frames)));
        var options = new ClusterOptions
        {
            NodeName = "a", Listen = "127.0.0.1:0", BatchBytes = 4096, WindowBytes = 16 << 10, MaxMessageBytes = 4096, MaxQueuedBytes = 64 << 10,
        };
        var link = new PeerLink(options, ActorRefs.Nobody);
        link.Connect(peer);
        var envelope = new byte[1000];
        int queued = 0;
        WispException? full = null;
        try
        {
            for (; queued < 1_000; queued++) link.Enqueue(envelope, Copy, "b");
        }
        catch (WispException e)
        {
            full = e;
        }
        Assert.NotNull(full);
        Assert.Equal(ErrorKind.LimitExceeded, full.Kind);
        Assert.StartsWith("the queue to node b is full", full.Message);
        // What a sender can queue before it is refused: the queue's bound, plus what left under the window meanwhile.
        Assert.InRange(queued, (int)(options.MaxQueuedBytes / 1001), (int)((options.MaxQueuedBytes + options.WindowBytes) / 1000) + 1);
        Assert.InRange(link.Queued, 0, options.MaxQueuedBytes);
        await ClusterHarness.Until(() => { lock (frames) return frames.Sum() > options.WindowBytes - options.BatchBytes; });
        lock (frames) Assert.InRange(frames.Sum(), options.WindowBytes - options.BatchBytes, options.WindowBytes);   // told: at most the window

        link.Credit(frames.Sum());   // the peer took everything it was told: the window opens again
        await ClusterHarness.Until(() => { lock (frames) return frames.Sum() > options.WindowBytes; });
        link.Enqueue(envelope, Copy, "b");   // and the queue has room again
    }

    /// <summary>A link connected to a <see cref="Recording"/> peer, whose flushes run only when the test runs them.</summary>
    private sealed class RecordedLink : IDisposable
    {
        private readonly ActorSystem _system;
        private readonly Queue<Action> _flushes = new();

        public RecordedLink(string name, ClusterOptions? options = null)
        {
            _system = ActorSystem.Create(name, "akka.loglevel = OFF\nakka.stdout-loglevel = OFF");
            Link = new PeerLink(options ?? new ClusterOptions { NodeName = "a", Listen = "127.0.0.1:0" }, ActorRefs.Nobody, _flushes.Enqueue);
            var frames = Frames;
            Link.Connect(_system.ActorOf(Props.Create(() => new Recording(frames))));
        }

        public PeerLink Link { get; }

        /// <summary>The frames the peer was told, in order; lock it to read.</summary>
        public List<byte[]> Frames { get; } = [];

        /// <summary>Runs the one flush queued first.</summary>
        public void RunOneFlush() => _flushes.Dequeue()();

        /// <summary>Runs the flushes queued, and those they queue, until none is left.</summary>
        public void RunFlushes()
        {
            while (_flushes.TryDequeue(out var flush)) flush();
        }

        /// <summary>Waits until the frames told so far satisfy <paramref name="condition"/>.</summary>
        public Task Until(Func<List<byte[]>, bool> condition) => ClusterHarness.Until(() =>
        {
            lock (Frames) return condition(Frames);
        });

        public void Dispose() => _system.Dispose();
    }

    [Fact]
    public async Task Credit_owed_to_the_peer_rides_on_the_next_batch_and_leaves_alone_when_none_follows()
    {
        using var peer = new RecordedLink("credit-test");
        var link = peer.Link;

        link.Enqueue(new byte[100], Copy, "b");   // waits in the open batch for a flush
        Assert.True(link.Owe(500));          // owed before that flush runs: it rides on that batch
        peer.RunFlushes();
        await peer.Until(frames => frames.Count == 1);
        link.Owe(700);                       // nothing to send: a credit frame of its own
        peer.RunFlushes();
        await peer.Until(frames => frames.Count == 2);

        lock (peer.Frames)
        {
            Assert.Equal(WireFormat.CreditedBatch, peer.Frames[0][0]);
            Assert.Equal(500, WireFormat.ReadBatchCredit(peer.Frames[0]));
            Assert.Equal(WireFormat.Credit, peer.Frames[1][0]);
            Assert.Equal(700, WireFormat.ReadCredit(peer.Frames[1]));
        }
    }

    [Fact]
    public async Task Credit_owed_waits_one_turn_for_the_answer_it_can_ride_on()
    {
        using var peer = new RecordedLink("credit-wait-test");
        var link = peer.Link;

        Assert.True(link.Owe(500));          // a batch of the peer was handed to this node's processes
        peer.RunOneFlush();                  // the credit's flush comes first, with nothing to carry it yet
        link.Enqueue(new byte[100], Copy, "b");   // then a process answers
        peer.RunFlushes();
        // The batch is told last: a credit frame told before it would be recorded by then.
        await peer.Until(frames => frames.Any(f => f[0] == WireFormat.CreditedBatch));

        lock (peer.Frames)
        {
            Assert.Single(peer.Frames);
            Assert.Equal(WireFormat.CreditedBatch, peer.Frames[0][0]);
            Assert.Equal(500, WireFormat.ReadBatchCredit(peer.Frames[0]));
        }
    }

    [Fact]
    public async Task A_message_refused_by_a_full_queue_leaves_no_route_for_the_next_to_follow()
    {
        using var peer = new RecordedLink("route-test",
            new ClusterOptions { NodeName = "a", Listen = "127.0.0.1:0", MaxMessageBytes = 4096, MaxQueuedBytes = 4096 });
        var (x, y, from) = (new Pid("b", "app:processes", 2, 7), new Pid("b", "app:processes", 3, 7), new Pid("a", "app:processes", 4, 9));
        void Send(Pid target, int bytes) => peer.Link.Enqueue((target, new Message("m", from, new byte[bytes])), static (buffer, s) =>
            WireFormat.WriteMessage(buffer, s.target, s.Item2, 4096), "b");

        Send(x, 10);
        Assert.Equal(ErrorKind.LimitExceeded, Assert.Throws<WispException>(() => Send(y, 4000)).Kind);   // written, then refused
        Send(y, 10);   // the route before it is x's: it must name its own
        peer.RunFlushes();
        await peer.Until(frames => frames.Count == 1);

        var targets = new List<Pid>();
        lock (peer.Frames) WireFormat.ReadBatch(peer.Frames[0], new PidCache(), (target, _) => targets.Add(target), (_, _) => { });
        Assert.Equal([x, y], targets);
    }
}
