using Akka.Actor;

namespace Wisp.Cluster;

/// <summary>
/// The way to one peer node: envelopes are appended to an open batch, batches leave as frames to the peer's endpoint
/// under a credit window (the peer gives back, per frame it delivered, the bytes it took), so a fast sender waits
/// here, bounded, instead of growing the engine's buffers without limit. Envelopes gather in the open batch until a
/// flush (on the thread pool, or what <c>queueFlush</c> gives) sends it, so batches grow with the load.
///
/// Invariants (all under <see cref="_gate"/>):
/// - envelopes are encoded into the open batch in the order their senders queued them (a batch closes once it holds
///   about <see cref="ClusterOptions.BatchBytes"/>), and frames leave in the order their
///   batches closed, told while the lock is held: order from one sender to the peer is kept;
/// - bytes in flight (told, not yet credited) stay within the window, except one frame larger than the window,
///   which leaves alone when nothing else is in flight;
/// - queued bytes (closed batches and the open one) never pass <see cref="ClusterOptions.MaxQueuedBytes"/>: the send
///   that would pass it fails and queues nothing;
/// - credit owed to the peer (<see cref="_owed"/>: bytes of its batches this node delivered) rides on the next frame
///   told to it; while any is owed a flush is queued (<see cref="_creditQueued"/>), which, finding nothing to carry it,
///   waits one more turn of the queue (<see cref="_creditDeferred"/>: the answer to what was delivered is usually on
///   its way) and then tells what is left as a frame of its own, so credit is never held back by a full window or an
///   idle link;
/// - once closed (the peer is lost), nothing is queued or told again.
/// </summary>
internal sealed class PeerLink(ClusterOptions options, IActorRef self, Action<Action>? queueFlush = null)
{
    private readonly object _gate = new();
    private readonly Queue<byte[]> _ready = new();
    private readonly FrameBuffer _open = new(4096);
    private long _queued;
    private long _inFlight;
    private long _owed;
    private IActorRef? _target;
    private bool _flushQueued;
    private bool _creditQueued;
    private bool _creditDeferred;
    private bool _closed;

    /// <summary>
    /// Encodes one envelope into the open batch with <paramref name="write"/> (on the sender's thread, under the lock, so
    /// envelopes keep their order); an encoding error is the sender's, and LimitExceeded when the queue for this peer is
    /// full; either way nothing is queued.
    /// </summary>
    public void Enqueue<TState>(TState state, Action<FrameBuffer, TState> write, string peer)
    {
        lock (_gate)
        {
            if (_closed) return;   // lost with the node, as anything queued for it
            if (_open.Written >= options.BatchBytes) CloseOpen();
            var mark = _open.Here;
            if (mark.Written == 0) WireFormat.WriteCreditedBatchHeader(_open);
            try
            {
                write(_open, state);
            }
            catch
            {
                _open.Rollback(mark);
                throw;
            }
            int size = _open.Written - mark.Written;
            if (_queued + size > options.MaxQueuedBytes)
            {
                _open.Rollback(mark);
                throw new WispException(ErrorKind.LimitExceeded,
                    $"the queue to node {peer} is full ({_queued} bytes wait for the node to take them; max_queued_bytes {options.MaxQueuedBytes})");
            }
            _queued += size;
            if (_flushQueued || _target is null) return;
            // Later envelopes join this batch until the flush runs: batches grow with the load, not with a timer (told
            // at once on an idle link, concurrent requests would leave one frame each).
            _flushQueued = true;
            QueueFlush();
        }
    }

    /// <summary>
    /// This node delivered <paramref name="bytes"/> of the peer's batches: the credit goes back on the next frame to the
    /// peer, or on its own after a thread-pool hop if none leaves first. False when the link cannot carry it (not yet
    /// connected, or closed): the caller tells the credit itself.
    /// </summary>
    public bool Owe(long bytes)
    {
        lock (_gate)
        {
            if (_closed || _target is null) return false;
            _owed += bytes;
            if (!_creditQueued)
            {
                _creditQueued = true;
                QueueFlush();
            }
            return true;
        }
    }

    /// <summary>The peer's endpoint is known: what waited for it leaves.</summary>
    public void Connect(IActorRef target)
    {
        lock (_gate)
        {
            _target = target;
            SendReady(closeOpen: true);
        }
    }

    /// <summary>The peer delivered <paramref name="bytes"/> of frames: the window opens by as much.</summary>
    public void Credit(long bytes)
    {
        lock (_gate)
        {
            _inFlight = Math.Max(0, _inFlight - bytes);
            SendReady(closeOpen: _ready.Count == 0);
        }
    }

    /// <summary>The peer is lost: what waits for it is dropped (it would have been lost with it).</summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
            _ready.Clear();
            _open.Clear();
            _queued = 0;
        }
    }

    public long Queued
    {
        get
        {
            lock (_gate) return _queued;
        }
    }

    private void QueueFlush()
    {
        if (queueFlush is not null) queueFlush(Flush);   // a test runs the flushes when it chooses
        else ThreadPool.UnsafeQueueUserWorkItem(static link => link.Flush(), this, preferLocal: false);
    }

    private void Flush()
    {
        lock (_gate)
        {
            _flushQueued = false;
            SendReady(closeOpen: true);
            if (_owed > 0 && !_closed && _target is not null)
            {
                if (!_creditDeferred)
                {
                    // Once, behind what is queued now: the processes just handed the peer's batch usually answer it,
                    // and their batch carries the credit (alone, it costs a frame each way).
                    _creditDeferred = true;
                    QueueFlush();
                    return;
                }
                _target.Tell(WireFormat.CreditFrame(_owed), self);
                _owed = 0;
            }
            _creditQueued = false;
            _creditDeferred = false;
            AssertInvariants();
        }
    }

    private void SendReady(bool closeOpen)
    {
        if (_closed || _target is null) return;
        if (closeOpen) CloseOpen();
        while (_ready.TryPeek(out var frame) && (_inFlight == 0 || _inFlight + frame.Length <= options.WindowBytes))
        {
            _ready.Dequeue();
            _queued -= frame.Length;
            _inFlight += frame.Length;
            if (_owed > 0)
            {
                WireFormat.SetBatchCredit(frame, _owed);
                _owed = 0;
            }
            _target.Tell(frame, self);
        }
        AssertInvariants();
    }

    private void CloseOpen()
    {
        if (_open.Written <= WireFormat.CreditedBatchHeader) return;
        _ready.Enqueue(_open.WrittenSpan.ToArray());
        _open.Clear();
    }

    [System.Diagnostics.Conditional("DEBUG")]
    private void AssertInvariants()
    {
        long waiting = _open.Written + _ready.Sum(f => (long)f.Length);
        System.Diagnostics.Debug.Assert(_closed || waiting == _queued, $"queued {_queued} but {waiting} bytes wait");
        System.Diagnostics.Debug.Assert(_inFlight >= 0, "negative bytes in flight");
        System.Diagnostics.Debug.Assert(_owed == 0 || _creditQueued || _closed, "credit owed with no flush queued to send it");
    }
}
