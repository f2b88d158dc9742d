using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Wisp.Tests;

/// <summary>
/// A MeterListener on one node's meter: observable instruments keep the value of their last collection per series
/// (instrument and tags), counters add up what they were given. <see cref="Value"/> sums the series that carry the
/// tags asked for.
/// </summary>
internal sealed class MetricsProbe : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(string Instrument, string Tags), long> _series = new();

    public MetricsProbe(Node node)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter == node.Metrics.Meter) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var key = (instrument.Name, string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}").Order()));
            if (instrument.IsObservable) _series[key] = value;
            else _series.AddOrUpdate(key, value, (_, sum) => sum + value);
        });
        _listener.Start();
    }

    /// <summary>Collects the observable instruments now and returns the sum of <paramref name="instrument"/>'s series that carry every tag given.</summary>
    public long Value(string instrument, params (string Key, string Value)[] tags)
    {
        _listener.RecordObservableInstruments();
        return _series.Where(s => s.Key.Instrument == instrument && tags.All(t => s.Key.Tags.Split(',').Contains($"{t.Key}={t.Value}")))
            .Sum(s => s.Value);
    }

    /// <summary>Waits until <paramref name="instrument"/> reads <paramref name="expected"/> (a walk of live processes is reused for 100 ms).</summary>
    public async Task Reaches(long expected, string instrument, params (string Key, string Value)[] tags)
    {
        var deadline = DateTime.UtcNow + TestNode.Deadline;
        long value;
        while ((value = Value(instrument, tags)) != expected)
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"{instrument} {string.Join(",", tags)} is {value}, expected {expected}");
            await Task.Delay(20);
        }
    }

    public void Dispose() => _listener.Dispose();
}
