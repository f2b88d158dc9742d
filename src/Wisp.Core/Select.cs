using System.Threading.Tasks.Sources;

namespace Wisp;

/// <summary>One case of a select: a receive from, or a send of a value on, a channel.</summary>
public readonly struct SelectCase
{
    internal SelectCase(ChannelBase channel, bool isSend, SelectValue value)
    {
        Channel = channel;
        IsSend = isSend;
        Value = value;
    }

    internal ChannelBase Channel { get; }
    internal bool IsSend { get; }
    internal SelectValue Value { get; }
}

/// <summary>
/// Which case of a select fired: its channel and index, the value received (or sent), and Ok, which is false
/// only for a receive from a closed channel. <see cref="IsDefault"/> when the default case was taken.
/// </summary>
public readonly struct SelectResult
{
    private readonly SelectValue _value;

    internal SelectResult(ChannelBase? channel, int index, SelectValue value, bool ok)
    {
        Channel = channel;
        Index = index;
        _value = value;
        Ok = ok;
    }

    public static SelectResult Default => new(null, -1, default, ok: true);

    public ChannelBase? Channel { get; }
    public int Index { get; }
    /// <summary>The value as an object (a small value type is boxed here, on demand).</summary>
    public object? Value => _value.ToObject();
    public bool Ok { get; }
    public bool IsDefault => Channel is null;

    /// <summary>The value as <typeparamref name="T"/> (default when the channel was closed).</summary>
    public T ValueAs<T>() => _value.As<T>();
}

/// <summary>
/// Go's select over receive and send cases, with an optional default.
///
/// Contract:
/// - exactly one case fires, or the default; nothing is lost or duplicated: a parked select is withdrawn
///   from every other channel in the same loop step in which one case completes;
/// - among cases ready when the select starts, the first in declared order fires, except that among ready
///   mailbox-fed receives (inbox, events, listen) the one whose message arrived first is taken, so the
///   mailbox's arrival order holds across them and no source starves;
/// - when nothing is ready and there is no default, the select parks on every channel and the first
///   channel to complete it wins.
/// Atomicity needs no lock: every channel of a select belongs to the process running it, and a process's
/// loop runs one step at a time.
/// </summary>
internal sealed class SelectOp(Process loop) : IValueTaskSource<SelectResult>
{
    private SelectCase[] _cases = [];
    private object?[] _parked = [];
    private int _count;
    private SelectResult _result;
    private Resumption _resumption;
    private short _version;

    public static ValueTask<SelectResult> Run(Process loop, ReadOnlySpan<SelectCase> cases, bool hasDefault)
    {
        if (cases.Length == 0 && !hasDefault)
            throw new WispException(ErrorKind.Invalid, "select needs at least one case or a default");
        foreach (var c in cases)
        {
            if (c.Channel is null) throw new WispException(ErrorKind.Invalid, "select case without a channel");
            c.Channel.CheckLoopForSelect();
        }

        int ready = PickReady(cases);
        if (ready >= 0) return new(Perform(cases, ready));
        if (hasDefault) return new(SelectResult.Default);

        // A process parks at most a few selects at once: reuse its spare one (and each channel its spare case).
        loop.SelectParked();
        var op = loop.SpareSelect ?? new SelectOp(loop);
        loop.SpareSelect = null;
        op.Arm(cases);
        for (int i = 0; i < cases.Length; i++)
        {
            var c = cases[i];
            op._parked[i] = c.IsSend ? c.Channel.ParkSend(op, i, c.Value) : c.Channel.ParkReceive(op, i);
        }
        return new(op, op._version);
    }

    private void Arm(ReadOnlySpan<SelectCase> cases)
    {
        if (_cases.Length < cases.Length)
        {
            _cases = new SelectCase[cases.Length];
            _parked = new object?[cases.Length];
        }
        cases.CopyTo(_cases);
        _count = cases.Length;
        _resumption.Reset();
    }

    private static int PickReady(ReadOnlySpan<SelectCase> cases)
    {
        int first = -1;
        for (int i = 0; i < cases.Length; i++)
        {
            var c = cases[i];
            if (c.IsSend ? c.Channel.IsSendReady : c.Channel.IsReceiveReady)
            {
                first = i;
                break;
            }
        }
        if (first < 0 || cases[first].IsSend || !cases[first].Channel.IsMailboxFed) return first;

        int earliest = first;
        for (int i = first + 1; i < cases.Length; i++)
        {
            var c = cases[i];
            if (!c.IsSend && c.Channel.IsMailboxFed
                && c.Channel.BacklogHeadSequence < cases[earliest].Channel.BacklogHeadSequence)
                earliest = i;
        }
        return earliest;
    }

    private static SelectResult Perform(ReadOnlySpan<SelectCase> cases, int index)
    {
        var c = cases[index];
        if (c.IsSend)
        {
            c.Channel.SendReady(c.Value);
            return new SelectResult(c.Channel, index, c.Value, ok: true);
        }
        var value = c.Channel.ReceiveReady(out bool ok);
        return new SelectResult(c.Channel, index, value, ok);
    }

    /// <summary>A channel completed case <paramref name="index"/>: withdraw every other case and wake the coroutine.</summary>
    internal void Fire(int index, SelectValue value, bool ok)
    {
        if (_resumption.IsDone) throw new InvalidOperationException("select fired twice");
        _result = new SelectResult(_cases[index].Channel, index, value, ok);
        Finish(null);
    }

    /// <summary>A parked send case's channel was closed: the select raises, as Go's does.</summary>
    internal void Fail(Exception error)
    {
        if (_resumption.IsDone) throw new InvalidOperationException("select fired twice");
        Finish(error);
    }

    private void Finish(Exception? error)
    {
        for (int i = 0; i < _count; i++)
        {
            if (_parked[i] is { } parked) _cases[i].Channel.Release(parked);
            _parked[i] = null;
        }
        _resumption.Complete(loop, error);
    }

    public ValueTaskSourceStatus GetStatus(short token) => _resumption.Status;

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _resumption.OnCompleted(loop, continuation, state);

    public SelectResult GetResult(short token)
    {
        if (token != _version) throw new InvalidOperationException("a select's result was taken twice");
        var result = _result;
        if (result.Ok && result.Channel is Channel<Message> { IsMailboxFed: true } fed) fed.HandedValueTaken();   // see Channel.Deliver
        var outcome = _resumption;
        _version++;
        _result = default;
        _resumption.Reset();
        Array.Clear(_cases, 0, _count);
        loop.SpareSelect = this;
        outcome.ThrowIfFailed();
        return result;
    }
}
