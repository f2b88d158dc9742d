using System.Diagnostics.Metrics;

namespace Wisp.Dashboard;

/// <summary>One sample of the node's rates: per second over the interval that ended at <paramref name="At"/>.</summary>
public sealed record RatePoint(DateTimeOffset At, double Messages, double Spawns);

/// <summary>
/// The node's message and spawn rates over the last minutes, read from its meter (<c>wisp.messages.delivered</c>,
/// <c>wisp.processes.spawned</c>) by a <see cref="MeterListener"/> once an interval: each collection walks the
/// process table once, so the dashboard costs the node nothing between samples.
/// </summary>
internal sealed class RateSampler : IAsyncDisposable
{
    private const string Delivered = "wisp.messages.delivered", Spawned = "wisp.processes.spawned";

    private readonly MeterListener _listener = new();
    private readonly Queue<RatePoint> _points = [];
    private readonly int _capacity;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _delivered, _spawned;   // the totals of the collection under way, written by the listener's callback

    public RateSampler(Meter meter, TimeProvider time, TimeSpan interval, TimeSpan history)
    {
        _time = time;
        _capacity = Math.Max(2, (int)(history / interval));
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter) && instrument.Name is Delivered or Spawned)
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == Delivered) _delivered += value;
            else _spawned += value;
        });
        _listener.Start();
        _loop = Run(interval);
    }

    /// <summary>The samples, oldest first.</summary>
    public IReadOnlyList<RatePoint> Points
    {
        get { lock (_points) return [.. _points]; }
    }

    private async Task Run(TimeSpan interval)
    {
        var (delivered, spawned) = Collect();
        long last = _time.GetTimestamp();
        using var timer = new PeriodicTimer(interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                var (nowDelivered, nowSpawned) = Collect();
                long now = _time.GetTimestamp();
                double seconds = Math.Max(1e-3, _time.GetElapsedTime(last, now).TotalSeconds);
                var point = new RatePoint(_time.GetUtcNow(), (nowDelivered - delivered) / seconds, (nowSpawned - spawned) / seconds);
                (delivered, spawned, last) = (nowDelivered, nowSpawned, now);
                lock (_points)
                {
                    if (_points.Count == _capacity) _points.Dequeue();
                    _points.Enqueue(point);
                }
            }
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>The counters' totals now: the callbacks run on this thread, during the collection.</summary>
    private (long Delivered, long Spawned) Collect()
    {
        _delivered = _spawned = 0;
        _listener.RecordObservableInstruments();
        return (_delivered, _spawned);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _listener.Dispose();
        _stop.Dispose();
    }
}
