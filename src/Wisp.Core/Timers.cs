namespace Wisp;

/// <summary>
/// A timer owned by one process. It fires on the node's <see cref="TimeProvider"/> thread, which posts the
/// firing (with the time it fired) to the process's loop, where <c>onFire</c> runs. Stopping or resetting
/// bumps a generation so a firing already on its way is recognised as stale and dropped. Every armed timer
/// is tracked by its process and closed when the process exits.
/// The underlying timer is always armed one-shot, for at most <see cref="MaxArm"/> (the longest a .NET timer
/// takes): a longer duration, or a period, is re-armed from the due time, so any duration works. It exists only
/// while the timer is armed: made when armed, disposed when the timer stops or a one-shot fires, made again by a
/// reset (Go's rule: a stopped or fired timer can be reset); once the process has exited a reset fails, since
/// nothing could receive its firing.
/// Locking: <c>_timer</c>, <c>_dueAt</c>, <c>_generation</c> and <c>_disposed</c> are shared with the timer thread,
/// under lock (this); the underlying timer is changed and disposed only under it, and a firing is posted under
/// it (lock order: this timer, then the owner's mailbox, which calls out to nothing).
/// </summary>
internal sealed class ProcessTimer
{
    private static readonly TimeSpan MaxArm = TimeSpan.FromMilliseconds(uint.MaxValue - 1);
    private static readonly TimeSpan Tolerance = TimeSpan.FromMilliseconds(1);

    private readonly Process _owner;
    private readonly Action<DateTimeOffset> _onFire;
    private readonly TimeSpan _period;
    private ITimer? _timer;
    private DateTimeOffset _dueAt;
    private int _generation;
    private bool _disposed = true;   // not armed
    private bool _closed;

    public ProcessTimer(Process owner, TimeSpan due, TimeSpan period, Action<DateTimeOffset> onFire)
    {
        _owner = owner;
        _onFire = onFire;
        _period = period;
        Arm(due);
    }

    private bool IsPeriodic => _period != Timeout.InfiniteTimeSpan;

    /// <summary>Arms the timer for <paramref name="due"/> (a new generation: a firing of the old arming is dropped).</summary>
    private void Arm(TimeSpan due)
    {
        bool track;
        lock (this)
        {
            _generation++;
            _dueAt = _owner.Node.Time.GetUtcNow() + due;
            track = _disposed;
            _disposed = false;
            _timer ??= _owner.Node.Time.CreateTimer(static s => ((ProcessTimer)s!).Elapsed(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _timer.Change(Clamp(due), Timeout.InfiniteTimeSpan);
        }
        if (track) _owner.Track(this);
    }

    private static TimeSpan Clamp(TimeSpan due) => due < TimeSpan.Zero ? TimeSpan.Zero : due > MaxArm ? MaxArm : due;

    private void Elapsed()
    {
        // Under the lock from reading the clock to posting: a re-armed period can fire on another thread at
        // once, and its firing must not overtake this one, so ticks reach the loop in the order they fired.
        lock (this)
        {
            if (_disposed) return;
            var now = _owner.Node.Time.GetUtcNow();
            if (_dueAt - now > Tolerance)
            {
                _timer!.Change(Clamp(_dueAt - now), Timeout.InfiniteTimeSpan);   // not due yet: a long duration
                return;
            }
            if (IsPeriodic)
            {
                _dueAt += _period;
                if (_dueAt <= now) _dueAt = now + _period;   // fell behind: skip, as tickers drop ticks
                _timer!.Change(Clamp(_dueAt - now), Timeout.InfiniteTimeSpan);
            }
            _owner.PostAction(static s =>
            {
                var (timer, generation, firedAt) = ((ProcessTimer, int, DateTimeOffset))s!;
                if (timer._disposed || generation != timer._generation) return;
                if (!timer.IsPeriodic) timer.Disarm();
                timer._onFire(firedAt);
            }, (this, _generation, now));
        }
    }

    /// <summary>Stops the timer; true if it was still pending. Loop only.</summary>
    public bool Stop()
    {
        CheckLoop();
        return Disarm();
    }

    /// <summary>Rearms the timer (loop only): pending firings of the old arming are dropped.</summary>
    public void Reset(TimeSpan due)
    {
        if (_closed) throw new ProcessExitedException(_owner.Pid);
        CheckLoop();
        Arm(due);
    }

    /// <summary>The owner has exited: the timer stops for good (loop only).</summary>
    public void Close()
    {
        _closed = true;
        Disarm();
    }

    /// <summary>Stops the timer and disposes the underlying one; false if it was not armed.</summary>
    private bool Disarm()
    {
        lock (this)
        {
            if (_disposed) return false;
            _disposed = true;
            _generation++;
            _timer?.Dispose();
            _timer = null;
        }
        _owner.Untrack(this);
        return true;
    }

    private void CheckLoop()
    {
        if (!_owner.IsOnLoop)
            throw new WispException(ErrorKind.InvalidState, $"timer of process {_owner.Pid} used outside that process: timers are process-local");
    }
}

/// <summary>
/// A one-shot timer with a channel (buffer 1): it delivers the firing time once. <see cref="Stop"/> and
/// <see cref="Reset"/> behave as Go's time.Timer.
/// </summary>
public sealed class WispTimer
{
    private readonly ProcessTimer _timer;

    internal WispTimer(Process owner, TimeSpan due)
    {
        Channel = new Channel<DateTimeOffset>(owner, 1);
        _timer = new ProcessTimer(owner, due, Timeout.InfiniteTimeSpan, at => Deliver(Channel, at));
    }

    public Channel<DateTimeOffset> Channel { get; }

    /// <summary>Stops the timer: true if it had not fired yet.</summary>
    public bool Stop() => _timer.Stop();

    /// <summary>Puts the firing time in the channel unless it is full (a tick is dropped) or closed by its owner.</summary>
    internal static void Deliver(Channel<DateTimeOffset> channel, DateTimeOffset firedAt)
    {
        if (!channel.IsClosed) channel.TrySend(firedAt);
    }

    /// <summary>Rearms the timer to fire after <paramref name="due"/>.</summary>
    public void Reset(TimeSpan due)
    {
        Durations.RequirePositive(due);
        _timer.Reset(due);
    }
}

/// <summary>
/// A periodic timer with a channel of capacity 16: a tick that finds the buffer full is dropped, as in the
/// seed's runtime (and Go), so a slow reader never makes ticks pile up.
/// </summary>
public sealed class Ticker
{
    public const int Capacity = 16;
    private readonly ProcessTimer _timer;

    internal Ticker(Process owner, TimeSpan period)
    {
        Channel = new Channel<DateTimeOffset>(owner, Capacity);
        _timer = new ProcessTimer(owner, period, period, at => WispTimer.Deliver(Channel, at));
    }

    public Channel<DateTimeOffset> Channel { get; }

    public void Stop() => _timer.Stop();
}

internal static class Durations
{
    public static void RequirePositive(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
            throw new WispException(ErrorKind.Invalid, $"duration must be > 0, got {duration}");
    }
}
