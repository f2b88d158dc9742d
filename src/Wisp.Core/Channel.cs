using System.Diagnostics;
using System.Threading.Tasks.Sources;

namespace Wisp;

/// <summary>
/// A Go-style channel owned by one process: unbuffered (rendezvous) when its capacity is 0, else a FIFO buffer.
///
/// Invariants (as in Go's runtime/chan.go), checked by <see cref="AssertInvariants"/> after each change:
/// - at least one of the buffer and the receive queue is empty: a value never waits in the buffer while a
///   receiver waits;
/// - if the buffer has room, the send queue is empty: a sender parks only when the buffer is full (or there
///   is none) and no receiver waits;
/// - a closed channel has no parked senders and no parked receivers (closing wakes them all);
/// - a mailbox-fed channel (inbox, events, listen) keeps undelivered messages in its backlog, oldest first;
///   if the backlog is not empty, the receive queue is empty.
///
/// All operations run on the owning process's loop, one at a time, so there are no locks: atomicity of a
/// select is atomicity of a step of the loop. Using a channel from another thread is refused.
/// </summary>
public sealed class Channel<T> : ChannelBase
{
    private readonly T[] _buffer;
    private int _head;
    private int _count;
    private WaitQueue _receivers;
    private WaitQueue _senders;
    private readonly bool _mailboxFed;
    private Queue<(ulong Sequence, T Value)>? _backlog;   // mailbox-fed channels only, made on first use
    private bool _closed;
    private int _handed;   // messages handed to a parked receive whose coroutine has not resumed yet (mailbox-fed)
    private Sudog? _spare;

    internal Channel(Process owner, int capacity, bool mailboxFed = false) : base(owner)
    {
        if (capacity < 0) throw new WispException(ErrorKind.Invalid, $"channel capacity must be >= 0, got {capacity}");
        _buffer = capacity == 0 ? [] : new T[capacity];
        _mailboxFed = mailboxFed;
    }

    public int Capacity => _buffer.Length;   // the buffer is the capacity, so a parked inbox is one field smaller

    /// <summary>Values waiting to be received: buffered values, plus undelivered messages of a mailbox-fed channel.</summary>
    public int Count => _count + (_backlog?.Count ?? 0);

    public bool IsClosed => _closed;

    /// <summary>Sends, waiting for a receiver or for room in the buffer. Throws <see cref="ChannelClosedException"/> if closed.</summary>
    public ValueTask Send(T value)
    {
        CheckLoop();
        CheckWritable("send into");
        if (TrySendNow(value)) return ValueTask.CompletedTask;
        var sudog = Rent(value, null, 0, isSend: true);
        _senders.Enqueue(sudog);
        AssertInvariants();
        return new ValueTask(sudog, sudog.Version);
    }

    /// <summary>Sends if a receiver waits or the buffer has room; false otherwise. Throws if closed.</summary>
    public bool TrySend(T value)
    {
        CheckLoop();
        CheckWritable("send into");
        return TrySendNow(value);
    }

    /// <summary>
    /// Receives the next value; <c>Ok</c> is false once the channel is closed and drained (then Value is default).
    /// </summary>
    public ValueTask<(T Value, bool Ok)> Receive()
    {
        CheckLoop();
        if (TryReceiveNow(out var value, out bool ok)) return new((value, ok));
        var sudog = Rent(default!, null, 0, isSend: false);
        _receivers.Enqueue(sudog);
        AssertInvariants();
        return new ValueTask<(T, bool)>(sudog, sudog.Version);
    }

    /// <summary>Receives without waiting: false when nothing is ready. <paramref name="ok"/> as in <see cref="Receive"/>.</summary>
    public bool TryReceive(out T value, out bool ok)
    {
        CheckLoop();
        return TryReceiveNow(out value, out ok);
    }

    /// <summary>
    /// Closes the channel: waiting receivers get (default, false), waiting senders get
    /// <see cref="ChannelClosedException"/>; buffered values stay readable. Closing twice does nothing.
    /// </summary>
    public void Close()
    {
        CheckLoop();
        CheckWritable("close");
        CloseCore();
    }

    public SelectCase CaseReceive() => new(this, isSend: false, default);
    public SelectCase CaseSend(T value)
    {
        CheckWritable("send into");
        return new(this, isSend: true, SelectValue.From(value));
    }

    // A process is handed its mailbox-fed channels receive-only (ReceiveChannel); this refuses the same
    // operations to code that reaches the channel itself, through a select result.
    private void CheckWritable(string what)
    {
        if (_mailboxFed)
            throw new WispException(ErrorKind.InvalidState,
                $"cannot {what} an inbox, events or listen channel: the runtime feeds it, the process only receives");
    }

    internal void CloseCore()
    {
        if (_closed) return;
        _closed = true;
        while (_receivers.TryDequeue(out var receiver)) receiver.CompleteReceive(default!, ok: false);
        while (_senders.TryDequeue(out var sender)) sender.FailSend(new ChannelClosedException());
        AssertInvariants();
    }

    /// <summary>The loop hands a routed message to this mailbox-fed channel: to a waiting receiver, or to the backlog.</summary>
    internal void Deliver(T value, ulong sequence)
    {
        Debug.Assert(_mailboxFed, "only mailbox-fed channels are delivered to");
        if (_receivers.TryDequeue(out var receiver))
        {
            if (typeof(T) == typeof(Message))
            {
                Owner.MessageTaken((Message)(object)value!);
                _handed++;   // until the receiver resumes (GetResult): unread if the process exits first
            }
            receiver.CompleteReceive(value, ok: true);
        }
        else (_backlog ??= new()).Enqueue((sequence, value));
        AssertInvariants();
    }

    /// <summary>Routed values nobody has received yet (a mailbox-fed channel's).</summary>
    internal int BacklogCount => _backlog?.Count ?? 0;

    /// <summary>
    /// Routed values the process's code never took: the backlog, and those handed to a receive whose coroutine has
    /// not resumed. The count lives here, with the loop-only state of the channel, not in the process object whose
    /// mailbox other threads write.
    /// </summary>
    internal int UnreadCount => BacklogCount + _handed;

    /// <summary>A receive (a coroutine's or a select's) has resumed with a value handed to it: the value is read (see Deliver).</summary>
    internal void HandedValueTaken() => _handed--;

    /// <summary>Takes the undelivered backlog (to route it elsewhere when a listen channel goes away).</summary>
    internal IReadOnlyList<(ulong Sequence, T Value)> TakeBacklog()
    {
        if (_backlog is null) return [];
        var taken = _backlog.ToArray();
        _backlog.Clear();
        return taken;
    }

    private bool TrySendNow(T value)
    {
        if (_closed) throw new ChannelClosedException();
        if (_receivers.TryDequeue(out var receiver))
        {
            receiver.CompleteReceive(value, ok: true);
        }
        else if (_count < Capacity)
        {
            _buffer[(_head + _count) % Capacity] = value;
            _count++;
        }
        else return false;
        AssertInvariants();
        return true;
    }

    private bool TryReceiveNow(out T value, out bool ok)
    {
        ok = true;
        if (_backlog is { Count: > 0 })
        {
            value = _backlog.Dequeue().Value;
            if (typeof(T) == typeof(Message)) Owner.MessageTaken((Message)(object)value!);
        }
        else if (_count > 0)
        {
            value = _buffer[_head];
            _buffer[_head] = default!;
            _head = (_head + 1) % Capacity;
            _count--;
            if (_senders.TryDequeue(out var sender))     // a parked sender's value takes the freed slot
            {
                _buffer[(_head + _count) % Capacity] = sender.Value;
                _count++;
                sender.CompleteSend();
            }
        }
        else if (_senders.TryDequeue(out var sender))
        {
            value = sender.Value;
            sender.CompleteSend();
        }
        else if (_closed)
        {
            value = default!;
            ok = false;
        }
        else
        {
            value = default!;
            return false;
        }
        AssertInvariants();
        return true;
    }

    // ---- select support: ChannelBase's contract, boxed values ----

    internal override bool IsReceiveReady => _backlog is { Count: > 0 } || _count > 0 || !_senders.IsEmpty || _closed;
    internal override bool IsSendReady => _closed || !_receivers.IsEmpty || _count < Capacity;
    internal override bool IsMailboxFed => _mailboxFed;
    internal override ulong BacklogHeadSequence => _backlog is { Count: > 0 } ? _backlog.Peek().Sequence : ulong.MaxValue;

    internal override SelectValue ReceiveReady(out bool ok)
    {
        bool done = TryReceiveNow(out var value, out ok);
        Debug.Assert(done, "select only receives from a ready channel");
        return SelectValue.From(value);
    }

    internal override void SendReady(SelectValue value)
    {
        bool done = TrySendNow(value.As<T>());
        Debug.Assert(done, "select only sends on a ready channel");
    }

    internal override object ParkReceive(SelectOp select, int index)
    {
        var sudog = Rent(default!, select, index, isSend: false);
        _receivers.Enqueue(sudog);
        AssertInvariants();
        return sudog;
    }

    internal override object ParkSend(SelectOp select, int index, SelectValue value)
    {
        var sudog = Rent(value.As<T>(), select, index, isSend: true);
        _senders.Enqueue(sudog);
        AssertInvariants();
        return sudog;
    }

    internal override void Release(object parked)
    {
        var sudog = (Sudog)parked;
        if (sudog.IsSend) _senders.Remove(sudog);
        else _receivers.Remove(sudog);
        sudog.Recycle();
    }

    /// <summary>A sudog from this channel's spare slot: a channel that parks one coroutine at a time allocates once.</summary>
    private Sudog Rent(T value, SelectOp? select, int index, bool isSend)
    {
        var sudog = _spare ?? new Sudog(this);
        _spare = null;
        sudog.Arm(value, select, index, isSend);
        return sudog;
    }

    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        Debug.Assert(_count == 0 || _receivers.IsEmpty, "no receiver waits while values are buffered");
        Debug.Assert(_count == Capacity || _senders.IsEmpty, "no sender waits while the buffer has room");
        Debug.Assert(!_closed || (_senders.IsEmpty && _receivers.IsEmpty), "a closed channel has no waiters");
        Debug.Assert(_backlog is null || _backlog.Count == 0 || _receivers.IsEmpty, "no receiver waits while messages are backlogged");
        _receivers.AssertInvariants();
        _senders.AssertInvariants();
    }

    /// <summary>
    /// A coroutine parked on this channel (Go's sudog): for a plain send or receive it is also what the
    /// coroutine awaits; for a select it is one case, and the select is awaited. Reused once its result has
    /// been taken (the ValueTask token, its version, catches a stale await).
    /// </summary>
    private sealed class Sudog(Channel<T> channel) : IValueTaskSource<(T, bool)>, IValueTaskSource
    {
        private SelectOp? _select;
        private int _index;
        private bool _ok;
        private Resumption _resumption;

        public T Value { get; private set; } = default!;
        public short Version { get; private set; }
        public Sudog? Next;       // set while in a wait queue (WaitQueue)
        public Sudog? Previous;

        /// <summary>A parked sender (in the send queue) rather than a receiver: which queue to withdraw it from.</summary>
        public bool IsSend { get; private set; }

        public void Arm(T value, SelectOp? select, int index, bool isSend)
        {
            Value = value;
            IsSend = isSend;
            _select = select;
            _index = index;
        }

        public void CompleteReceive(T value, bool ok)
        {
            if (_select is not null)
            {
                _select.Fire(_index, SelectValue.From(value), ok);
                return;
            }
            Value = value;
            _ok = ok;
            _resumption.Complete(channel.Owner);
        }

        public void CompleteSend()
        {
            if (_select is not null) _select.Fire(_index, SelectValue.From(Value), ok: true);
            else
            {
                _ok = true;
                _resumption.Complete(channel.Owner);
            }
        }

        public void FailSend(Exception error)
        {
            if (_select is not null) _select.Fail(error);
            else _resumption.Complete(channel.Owner, error);
        }

        /// <summary>Back to the channel's spare slot, with a new version so an old ValueTask cannot read it.</summary>
        public void Recycle()
        {
            Version++;
            Next = Previous = null;
            Value = default!;
            _select = null;
            _ok = false;
            _resumption.Reset();
            channel._spare = this;
        }

        public ValueTaskSourceStatus GetStatus(short token) => _resumption.Status;

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _resumption.OnCompleted(channel.Owner, continuation, state);

        public (T, bool) GetResult(short token)
        {
            if (token != Version) throw new InvalidOperationException("a channel operation's result was taken twice");
            var result = (Value, _ok);
            if (channel._mailboxFed && _ok && !IsSend && typeof(T) == typeof(Message)) channel.HandedValueTaken();   // see Deliver
            var outcome = _resumption;
            Recycle();
            outcome.ThrowIfFailed();
            return result;
        }

        void IValueTaskSource.GetResult(short token) => GetResult(token);
    }

    /// <summary>
    /// A FIFO of parked coroutines, doubly linked so a select can withdraw from the middle, and circular, so that the
    /// queue is one field (its newest sudog, whose Next is the oldest) and a sudog is queued exactly when its Next is
    /// set. A sudog is in at most one queue, the one its <see cref="Sudog.IsSend"/> names.
    /// </summary>
    private struct WaitQueue
    {
        private Sudog? _last;

        public readonly bool IsEmpty => _last is null;

        public void Enqueue(Sudog sudog)
        {
            Debug.Assert(sudog.Next is null, "a sudog is in one queue at a time");
            if (_last is null) sudog.Next = sudog.Previous = sudog;
            else
            {
                var first = _last.Next!;
                sudog.Previous = _last;
                sudog.Next = first;
                first.Previous = sudog;
                _last.Next = sudog;
            }
            _last = sudog;
        }

        public bool TryDequeue(out Sudog sudog)
        {
            if (_last is null)
            {
                sudog = null!;
                return false;
            }
            sudog = _last.Next!;
            Remove(sudog);
            return true;
        }

        /// <summary>Debug builds: the ring is closed both ways and each of its sudogs parks on the same side.</summary>
        [Conditional("DEBUG")]
        public readonly void AssertInvariants()
        {
            if (_last is null) return;
            var sudog = _last;
            do
            {
                Debug.Assert(sudog.Next is not null && sudog.Next.Previous == sudog, "a queued sudog's neighbours link back to it");
                Debug.Assert(sudog.IsSend == _last.IsSend, "a queue holds senders or receivers, not both");
                sudog = sudog.Next!;
            }
            while (sudog != _last);
        }

        /// <summary>Withdraws a sudog of this queue; false if it is no longer queued (it was dequeued, then fired).</summary>
        public bool Remove(Sudog sudog)
        {
            if (sudog.Next is null) return false;
            if (sudog.Next == sudog) _last = null;
            else
            {
                sudog.Previous!.Next = sudog.Next;
                sudog.Next.Previous = sudog.Previous;
                if (_last == sudog) _last = sudog.Previous;
            }
            sudog.Next = sudog.Previous = null;
            return true;
        }
    }
}

/// <summary>
/// What a select (<see cref="ProcessContext.Select(ReadOnlySpan{SelectCase})"/>) needs of every channel, whatever its element type: readiness, the operation
/// when ready, and parking a select case. Values cross this boundary boxed.
/// </summary>
public abstract class ChannelBase
{
    private protected ChannelBase(Process owner) => Owner = owner;

    internal Process Owner { get; }

    internal abstract bool IsReceiveReady { get; }
    internal abstract bool IsSendReady { get; }
    internal abstract bool IsMailboxFed { get; }
    internal abstract ulong BacklogHeadSequence { get; }
    internal abstract SelectValue ReceiveReady(out bool ok);
    internal abstract void SendReady(SelectValue value);
    internal abstract object ParkReceive(SelectOp select, int index);
    internal abstract object ParkSend(SelectOp select, int index, SelectValue value);
    /// <summary>Withdraws a select's parked case (if still queued) and recycles it.</summary>
    internal abstract void Release(object parked);

    private protected void CheckLoop()
    {
        if (!Owner.IsOnLoop)
            throw new WispException(ErrorKind.InvalidState,
                $"channel of process {Owner.Pid} used outside that process: channels are process-local");
    }

    internal void CheckLoopForSelect() => CheckLoop();
}
