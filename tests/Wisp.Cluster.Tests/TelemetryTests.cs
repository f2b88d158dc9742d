using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Wisp.Cluster.Tests;

/// <summary>
/// Telemetry between two nodes: the bytes each node's metrics count (wisp.remote.bytes, read with a MeterListener), and a
/// trace that crosses nodes in the wire envelope. The activity listener hears every source of the test process, so the
/// tests that listen are in this one class and read only their own trace.
/// </summary>
public class TelemetryTests
{
    private const string TestSource = "Wisp.Cluster.Tests.Tracing";
    private static readonly ActivitySource Test = new(TestSource);

    /// <summary>wisp.remote.bytes of <paramref name="node"/> in <paramref name="direction"/>, collected now.</summary>
    private static long RemoteBytes(Node node, string direction)
    {
        long bytes = -1;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter == node.Metrics.Meter && instrument.Name == "wisp.remote.bytes") l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
                if (tag.Key == "network.io.direction" && (string?)tag.Value == direction) bytes = value;
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return bytes;
    }

    /// <summary>A process on <paramref name="node"/> that answers every message with its payload, to its sender.</summary>
    private static Pid Echo(Node node) => node.Spawn(ClusterHarness.HostId, async p =>
    {
        while (true)
        {
            var (m, _) = await p.Inbox.Receive();
            if (m.From.IsNone) continue;
            p.Send(m.From, "echo", m.PayloadAt(0));
        }
    });

    [Fact]
    public async Task Each_node_counts_the_bytes_it_sent_and_the_bytes_it_received()
    {
        const int messages = 40, size = 1000;
        await using var cluster = new ClusterHarness();
        var a = await cluster.Start("a");
        var b = await cluster.Start("b");
        await cluster.Connected();
        Assert.Equal(0, RemoteBytes(a.Node, "transmit"));
        Assert.Equal(0, RemoteBytes(b.Node, "receive"));

        var echo = Echo(b.Node);
        var done = new Probe<bool>();
        a.Node.Spawn(ClusterHarness.HostId, async p =>
        {
            var payload = new byte[size];
            for (int i = 0; i < messages; i++)
            {
                p.Send(echo, "ping", payload);
                await p.Inbox.Receive();
            }
            done.Put(true);
            return null;
        });
        await done.Take();

        // Once every frame is credited, what one node sent (and its peer took) is what the other received.
        await ClusterHarness.Until(() => RemoteBytes(a.Node, "transmit") == RemoteBytes(b.Node, "receive")
            && RemoteBytes(b.Node, "transmit") == RemoteBytes(a.Node, "receive"));
        Assert.InRange(RemoteBytes(a.Node, "transmit"), messages * size, messages * (size + 200));
        Assert.InRange(RemoteBytes(b.Node, "transmit"), messages * size, messages * (size + 200));
    }

    [Fact]
    public async Task A_trace_crosses_nodes_in_the_envelope()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is WispTelemetry.SourceName or TestSource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var cluster = new ClusterHarness();
        var a = await cluster.Start("a");
        var b = await cluster.Start("b");
        await cluster.Connected();
        var taken = new Probe<(bool Traced, ActivityContext Context, ActivityTraceId Trace, ActivitySpanId Parent)>();
        var target = b.Node.Spawn(ClusterHarness.HostId, async p =>
        {
            var (m, _) = await p.Inbox.Receive();
            taken.Put((m.IsTraced, m.TraceContext, p.Activity!.TraceId, p.Activity.ParentSpanId));
            return null;
        });

        ActivityTraceId traceId;
        using (var request = Test.StartActivity("request")!)
        {
            traceId = request.TraceId;
            a.Node.Send(target, "request", 1);
        }
        var (traced, context, trace, parent) = await taken.Take();
        var send = Assert.Single(stopped, s => s.TraceId == traceId && s.OperationName == "wisp.send");

        Assert.True(traced);
        Assert.True(context.IsRemote);
        Assert.Equal(send.SpanId, context.SpanId);
        Assert.Equal(traceId, trace);
        Assert.Equal(send.SpanId, parent);
    }
}
