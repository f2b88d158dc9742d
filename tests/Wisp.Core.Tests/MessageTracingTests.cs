using System.Collections.Concurrent;
using System.Diagnostics;

namespace Wisp.Tests;

/// <summary>
/// Message flow as activities of the Wisp source (MessageTracing.cs). An activity listener hears every source of the
/// test process, so the tests that listen to Wisp's are in this one class (run one at a time) and read only their
/// own trace.
/// </summary>
public sealed class MessageTracingTests
{
    private const string TestSource = "Wisp.Tests.Tracing";
    private static readonly ActivitySource Test = new(TestSource);

    /// <summary>Samples the Wisp source and the test's as told, and keeps every activity that stopped.</summary>
    private sealed class Recorder : IDisposable
    {
        private readonly ActivityListener _listener;

        public Recorder(ActivitySamplingResult wisp)
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name is WispTelemetry.SourceName or TestSource,
                Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
                    options.Source.Name == TestSource ? ActivitySamplingResult.AllDataAndRecorded : wisp,
                ActivityStopped = Stopped.Enqueue,
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public ConcurrentQueue<Activity> Stopped { get; } = new();

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>b takes "request" and sends "forward" to c, which reports whether what it took was traced.</summary>
    private static async Task<(Pid B, Task BExit, Task CExit, Probe<bool> Traced)> Relay(TestNode test)
    {
        var traced = new Probe<bool>();
        var (c, cExit) = await test.Start(async p =>
        {
            var message = await p.Inbox.Next();
            traced.Put(message.IsTraced);
            return null;
        });
        var (b, bExit) = await test.Start(async p =>
        {
            var message = await p.Inbox.Next();
            p.Send(c, "forward", message.PayloadAt(0));
            return null;
        });
        return (b, bExit, cExit, traced);
    }

    [Fact]
    public async Task A_send_and_the_slice_that_takes_it_chain_from_process_to_process()
    {
        using var recorder = new Recorder(ActivitySamplingResult.AllDataAndRecorded);
        var test = new TestNode();
        var (b, bExit, cExit, traced) = await Relay(test);
        ActivityTraceId traceId;
        using (var request = Test.StartActivity("request")!)
        {
            traceId = request.TraceId;
            test.Node.Send(b, "request", 1);   // from outside any process: the ambient activity is the parent
        }
        Assert.True(await traced.Take());
        await bExit;
        await cExit;   // a receive activity ends with its slice, at the latest when its process exits

        var trace = recorder.Stopped.Where(a => a.TraceId == traceId).ToList();
        Activity One(string name, string topic) => Assert.Single(trace, a => a.OperationName == name && (string?)a.GetTagItem("wisp.topic") == topic);
        var root = Assert.Single(trace, a => a.OperationName == "request");
        var sendToB = One(MessageTracing.SendName, "request");
        var receiveB = One(MessageTracing.ReceiveName, "request");
        var sendToC = One(MessageTracing.SendName, "forward");
        var receiveC = One(MessageTracing.ReceiveName, "forward");

        Assert.Equal(root.SpanId, sendToB.ParentSpanId);
        Assert.Equal(sendToB.SpanId, receiveB.ParentSpanId);
        Assert.Equal(receiveB.SpanId, sendToC.ParentSpanId);
        Assert.Equal(sendToC.SpanId, receiveC.ParentSpanId);
        Assert.Equal([ActivityKind.Producer, ActivityKind.Consumer, ActivityKind.Producer, ActivityKind.Consumer],
            new[] { sendToB, receiveB, sendToC, receiveC }.Select(a => a.Kind));
        Assert.Equal(b.ToString(), receiveB.GetTagItem("messaging.destination.name"));
        Assert.Null(Activity.Current);
    }

    [Theory, InlineData(false), InlineData(true)]
    public async Task A_send_nobody_samples_carries_no_trace(bool listening)
    {
        using var recorder = listening ? new Recorder(ActivitySamplingResult.None) : null;
        var test = new TestNode();
        var (b, bExit, cExit, traced) = await Relay(test);
        using (Test.StartActivity("request"))
            test.Node.Send(b, "request", 1);
        Assert.False(await traced.Take());
        await bExit;
        await cExit;
        Assert.DoesNotContain(recorder?.Stopped ?? [], a => a.Source.Name == WispTelemetry.SourceName);
    }
}
