using System.Diagnostics.Metrics;

namespace Wisp.Tests.Runtime;

/// <summary>The restarts of supervised services on the node's meter (wisp.service.restarts), read with a MeterListener.</summary>
public class ServiceMetricsTests
{
    [Fact]
    public async Task Each_restart_of_a_failing_service_is_counted_and_its_first_spawn_is_not()
    {
        var token = Probe.NewToken();
        await using var test = new TestRuntime($$"""
            namespace: app
            entries:
              - name: procs
                kind: process.host
              - name: target
                kind: process.dotnet
                type: Wisp.Tests.Runtime.ServiceTargets
                method: Fails
              - name: svc
                kind: process.service
                process: target
                host: procs
                input: [{{token}}]
                lifecycle:
                  auto_start: true
                  restart: {initial_delay: 10ms, max_delay: 50ms}
            """);
        long restarts = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter == test.Runtime.Node.Metrics.Meter && instrument.Name == "wisp.service.restarts")
                    l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            Assert.Equal(new KeyValuePair<string, object?>("wisp.service", "app:svc"), Assert.Single(tags.ToArray()));
            Interlocked.Add(ref restarts, value);
        });
        listener.Start();

        await Eventually.Within(test.Runtime.StartAsync(), "services to start");
        var svc = test.Service("app:svc");
        await Eventually.Until(() => Interlocked.Read(ref restarts) >= 2, "two restarts");
        await test.Runtime.ShutdownAsync();
        Assert.Equal(svc.Runs - 1, Interlocked.Read(ref restarts));
    }
}
