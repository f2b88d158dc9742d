namespace Wisp;

/// <summary>
/// A timer owned by one process: it fires on the node's <see cref="TimeProvider"/> thread, and the firing is
/// posted to the process's loop, where <c>onFire</c> runs. Stopping or resetting bumps a generation so that
/// a firing already on its way is recognised as stale and dropped. Every live timer is tracked by its
/// process and stopped when the process exits.
/// </summary>
internal sealed class ProcessTimer : IDisposable
{
    private readonly Process _owner;
    private readonly Action<ProcessTimer> _onFire;
    private readonly TimeSpan _period;
    private readonly ITimer _timer;
    private int _generation;
    private bool _disposed;

    public ProcessTimer(Process owner, TimeSpan due, TimeSpan period, Action<ProcessTimer> onFire)
    {
        _owner = owner;
        _onFire = onFire;
        _period = period;
        owner.Track(this);
        _timer = owner.Node.Time.CreateTimer(static s => ((ProcessTimer)s!).Elapsed(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _timer.Change(due, period);
    }

    public bool IsActive => !_disposed;

    private void Elapsed()
    {
        int generation = Volatile.Read(ref _generation);
        _owner.PostAction(static s =>
        {
            var (timer, generation) = ((ProcessTimer, int))s!;
            if (timer._disposed || generation != timer._generation) return;
            if (timer._period == Timeout.InfiniteTimeSpan) timer.Dispose();
            timer._onFire(timer);
        }, (this, generation));
    }

    /// <summary>Stops the timer; true if it was still pending. Loop only.</summary>
    public bool Stop()
    {
        if (_disposed) return false;
        Dispose();
        return true;
    }

    /// <summary>Rearms a one-shot timer (loop only): pending firings of the old arming are dropped.</summary>
    public void Reset(TimeSpan due)
    {
        Interlocked.Increment(ref _generation);
        if (_disposed)
        {
            _disposed = false;
            _owner.Track(this);
        }
        _timer.Change(due, _period);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Interlocked.Increment(ref _generation);
        _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _owner.Untrack(this);
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
        _timer = new ProcessTimer(owner, due, Timeout.InfiniteTimeSpan, _ => Deliver(Channel, owner));
    }

    public Channel<DateTimeOffset> Channel { get; }

    /// <summary>Stops the timer: true if it had not fired yet.</summary>
    public bool Stop() => _timer.Stop();

    /// <summary>Puts the firing time in the channel unless it is full (a tick is dropped) or closed by its owner.</summary>
    internal static void Deliver(Channel<DateTimeOffset> channel, Process owner)
    {
        if (!channel.IsClosed) channel.TrySend(owner.Node.Time.GetUtcNow());
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
        _timer = new ProcessTimer(owner, period, period, _ => WispTimer.Deliver(Channel, owner));
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
