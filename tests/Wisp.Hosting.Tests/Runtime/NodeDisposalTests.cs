using System.Diagnostics.Metrics;
using Wisp.Hosting;

namespace Wisp.Tests.Runtime;

/// <summary>
/// A runtime's shutdown disposes the node it made, once its hosts have stopped: the node's own meter is disposed (its
/// instruments' measurements complete, as a MeterListener sees), a meter made by a <see cref="IMeterFactory"/> is left to
/// that factory.
/// </summary>
public class NodeDisposalTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Shutdown_disposes_the_nodes_meter_unless_a_meter_factory_owns_it(bool fromFactory)
    {
        using var factory = new OwnMeterFactory();
        await using var runtime = WispRuntime.Load(new WispRuntimeOptions { MeterFactory = fromFactory ? factory : null });
        var meter = runtime.Node.Metrics.Meter;
        var published = new List<string>();
        var completed = new List<string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter != meter) return;
                lock (published) published.Add(instrument.Name);
                l.EnableMeasurementEvents(instrument);
            },
            MeasurementsCompleted = (instrument, _) =>
            {
                lock (completed) completed.Add(instrument.Name);
            },
        };
        listener.Start();
        await runtime.StartAsync();
        Assert.Empty(completed);

        await runtime.ShutdownAsync();
        await runtime.ShutdownAsync();   // a second call waits for the same shutdown: the node is disposed once

        Assert.Contains("wisp.processes.live", published);
        Assert.Equal(fromFactory ? [] : published.Order().ToList(), completed.Order().ToList());
        factory.Dispose();
        Assert.Equal(published.Order().ToList(), completed.Order().ToList());   // the factory's meter ends with the factory
    }

    /// <summary>A factory that owns the meters it makes, as a .NET host's does.</summary>
    private sealed class OwnMeterFactory : IMeterFactory
    {
        private readonly List<Meter> _meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            _meters.Add(meter);
            return meter;
        }

        public void Dispose() => _meters.ForEach(m => m.Dispose());
    }
}
