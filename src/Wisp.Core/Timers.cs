namespace Wisp;

/// <summary>
/// A timer owned by one process. It fires on the node's <see cref="TimeProvider"/> thread, which posts the
/// firing (with the time it fired) to the process's loop, where <c>onFire</c> runs. Stopping or resetting
/// bumps a generation so a firing already on its way is recognised as stale and dropped. Every live timer
/// is tracked by its process and stopped when the process exits.
/// The underlying timer is always armed one-shot, for at most <see cref="MaxArm"/> (the longest a .NET timer
/// takes): a longer duration, or a period, is re-armed from the due time, so any duration works.
/// Locking: <c>_dueAt</c> and <c>_generation</c> are shared with the timer thread, under lock (this).
/// </summary>
internal sealed class ProcessTimer : IDisposable
{
    private static readonly TimeSpan MaxArm = TimeSpan.FromMilliseconds(uint.MaxValue - 1);
    private static readonly TimeSpan Tolerance = TimeSpan.FromMilliseconds(1);

    private readonly Process _owner;
    private readonly Action<DateTimeOffset> _onFire;
    private readonly TimeSpan _period;
    private readonly ITimer _timer;
    private DateTimeOffset _dueAt;
    private int _generation;
    private bool _disposed;

    public ProcessTimer(Process owner, TimeSpan due, TimeSpan period, Action<DateTimeOffset> onFire)
    {
        _owner = owner;
        _onFire = onFire;
        _period = period;
        owner.Track(this);
        _timer = owner.Node.Time.CreateTimer(static s => ((ProcessTimer)s!).Elapsed(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Arm(due);
    }

    private bool IsPeriodic => _period != Timeout.InfiniteTimeSpan;

    private void Arm(TimeSpan due)
    {
        lock (this) _dueAt = _owner.Node.Time.GetUtcNow() + due;
        _timer.Change(Clamp(due), Timeout.InfiniteTimeSpan);
    }

    private static TimeSpan Clamp(TimeSpan due) => due < TimeSpan.Zero ? TimeSpan.Zero : due > MaxArm ? MaxArm : due;

    private void Elapsed()
    {
        var now = _owner.Node.Time.GetUtcNow();
        int generation;
        TimeSpan? rearm = null;
        lock (this)
        {
            if (_disposed) return;
            if (_dueAt - now > Tolerance)
            {
                _timer.Change(Clamp(_dueAt - now), Timeout.InfiniteTimeSpan);   // not due yet: a long duration
                return;
            }
            generation = _generation;
            if (IsPeriodic)
            {
                _dueAt += _period;
                if (_dueAt <= now) _dueAt = now + _period;   // fell behind: skip, as tickers drop ticks
                rearm = _dueAt - now;
            }
        }
        if (rearm is { } next) _timer.Change(Clamp(next), Timeout.InfiniteTimeSpan);
        _owner.PostAction(static s =>
        {
            var (timer, generation, firedAt) = ((ProcessTimer, int, DateTimeOffset))s!;
            if (timer._disposed || generation != timer._generation) return;
            if (!timer.IsPeriodic) timer.Dispose();
            timer._onFire(firedAt);
        }, (this, generation, now));
    }

    /// <summary>Stops the timer; true if it was still pending. Loop only.</summary>
    public bool Stop()
    {
        CheckLoop();
        if (_disposed) return false;
        Dispose();
        return true;
    }

    /// <summary>Rearms the timer (loop only): pending firings of the old arming are dropped.</summary>
    public void Reset(TimeSpan due)
    {
        CheckLoop();
        lock (this)   // the new generation and due time together: a firing in between sees both or neither
        {
            _generation++;
            _dueAt = _owner.Node.Time.GetUtcNow() + due;
            if (_disposed)
            {
                _disposed = false;
                _owner.Track(this);
            }
        }
        _timer.Change(Clamp(due), Timeout.InfiniteTimeSpan);
    }

    public void Dispose()
    {
        lock (this)
        {
            if (_disposed) return;
            _disposed = true;
            _generation++;
        }
        _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _owner.Untrack(this);
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
