using System.Diagnostics;
using CsCheck;
using Wisp.Cluster;

namespace Wisp.Fuzz;

/// <summary>
/// The cluster wire decoder (WireFormat, what EndpointActor reads from peers): any frame decodes to well-formed
/// envelopes or an Invalid WispException that names the frame (the only exception the endpoint catches: anything
/// else escaping would kill it), within an allocation bounded by the frame; generated envelopes round-trip.
/// </summary>
public sealed class WireFormatFuzz
{
    private const int MaxMessageBytes = 1 << 20;

    private static readonly byte[][] Tokens =
    [
        [0xdd, 0xff, 0xff, 0xff, 0xff],                 // an envelope of 4G fields
        [0x9f, 0x00],                                   // a message envelope of 15 fields
        [0x98, 0x01],                                   // a signal envelope
        [0x93, 0x03],                                   // a message on the previous message's route
        [0xc9, 0x7f, 0xff, 0xff, 0xff, 0x01],           // a PID extension of 2G bytes
        [0xc7, 0x03, 0x03, 0x00, 0x00, 0x00],           // a PID with a creation cut short
        [0xd4, 0x01, 0x7c],                             // the PID "|"
        [0xcd, 0x01, 0x00],                             // 256: a signal kind past the enum's byte
        [0xdb, 0xff, 0xff, 0xff, 0xf0],                 // str32 of 4G bytes
        [0x01], [0x02], [0x04], [0x05], [0xc0], [0xc2], [0xc3],
        [.. Enumerable.Repeat((byte)0x91, 300), 0xc0],
    ];

    internal static readonly FuzzTarget Target = new FuzzTarget<byte[]>("wire",
        inputsOf: file => [Corpus.Binary(file)],
        read: frame => Decode(frame).Error is null,
        mutate: seeds => Mutations.OfBytes(seeds, Tokens),
        random: Gen.Select(Gen.Byte.Array[1, 64], Gen.Bool, (bytes, credited) =>
        {
            bytes[0] = credited ? WireFormat.CreditedBatch : WireFormat.Batch;
            return bytes;
        }),
        print: Corpus.Hex);

    [Fact]
    public void Generated_envelopes_round_trip() =>
        FuzzRun.Check(Gen.Select(Batches, Gen.Long[0, long.MaxValue], (sent, credit) => (sent, credit)), c =>
        {
            var frame = Frame(c.sent, c.credit);
            Assert.Equal(c.credit, WireFormat.ReadBatchCredit(frame));
            var received = Read(frame);
            Assert.Equal(c.sent.Length, received.Count);
            foreach (var (one, other) in c.sent.Zip(received))
                Assert.True(Same(one, other), $"{one} came back as {other}");
        }, c => $"credit {c.credit}: {string.Join(", ", c.sent.Select(e => e.ToString()))}");

    [Fact]
    public void Credit_frames_round_trip() =>
        FuzzRun.Check(Gen.Long, credit => Assert.Equal(credit, WireFormat.ReadCredit(WireFormat.CreditFrame(credit))));

    /// <summary>A decoded envelope: a message or a signal for a target.</summary>
    internal sealed record Envelope(Pid Target, object Item)
    {
        public void WriteTo(FrameBuffer frame)
        {
            if (Item is Message message) WireFormat.WriteMessage(frame, Target, message, MaxMessageBytes);
            else WireFormat.WriteSignal(frame, Target, (RemoteSignal)Item, MaxMessageBytes);
        }

        public override string ToString() => Item is Message m
            ? $"message '{m.Topic}' from {m.From} to {Target}{(m.IsTraced ? $" traced {m.TraceContext.TraceId}-{m.TraceContext.SpanId}" : "")}: {PayloadText.Format(new PayloadList(m.Payloads))}"
            : $"{Item} to {Target}";
    }

    /// <summary>Trace contexts as a traced send carries them: random non-zero ids, either flag.</summary>
    private static readonly Gen<ActivityContext> Traces = Gen.Select(Gen.Byte.Array[16], Gen.Byte.Array[8], Gen.Bool, (trace, span, sampled) =>
    {
        trace[0] |= 1;   // W3C ids are never all zeros
        span[0] |= 1;
        return new ActivityContext(ActivityTraceId.CreateFromBytes(trace), ActivitySpanId.CreateFromBytes(span),
            sampled ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None);
    });

    /// <summary>
    /// Messages with 0 to 3 payloads, untraced or traced, and signals of every kind (EXIT and LINK_DOWN with a result,
    /// as the node sends them).
    /// </summary>
    private static readonly Gen<Envelope> Envelopes = Gen.OneOf(
        Gen.Select(PayloadValues.Pids, PayloadValues.Pids, PayloadValues.Text, PayloadValues.Values.Array[0, 3],
            (target, from, topic, payloads) => new Envelope(target, new Message(topic, from, payloads))),
        Gen.Select(PayloadValues.Pids, PayloadValues.Pids, PayloadValues.Text, PayloadValues.Values.Array[0, 3], Traces,
            (target, from, topic, payloads, trace) => new Envelope(target, new Message(topic, from, payloads, trace))),
        Gen.Select(PayloadValues.Pids, Gen.Enum<RemoteSignalKind>(), PayloadValues.Pids, PayloadValues.Values, PayloadValues.Text.Null(),
            (target, kind, from, value, reason) => new Envelope(target, new RemoteSignal(kind, from,
                kind is RemoteSignalKind.Exit or RemoteSignalKind.LinkDown
                    ? value is ProcessError error ? ExitResult.Failure(error) : ExitResult.Success(value)
                    : null,
                reason))));

    /// <summary>
    /// Envelopes as a batch holds them: a message may follow the one before it on the same route (same target and sender,
    /// as a stream does: written without its PIDs), or on the same PIDs of another creation (which must not be taken for
    /// the same route).
    /// </summary>
    private static readonly Gen<Envelope[]> Batches = Gen.Select(Envelopes.Array[1, 6], Gen.Int[0, 2].Array[6], (envelopes, follow) =>
    {
        Envelope? last = null;
        for (int i = 0; i < envelopes.Length; i++)
        {
            if (envelopes[i].Item is not Message message) continue;
            if (last is { Item: Message previous } && follow[i] > 0)
            {
                var from = follow[i] == 1 ? previous.From : new Pid(previous.From.Node, previous.From.Host, previous.From.Id, previous.From.Creation + 1);
                envelopes[i] = new Envelope(last.Target, message.IsTraced
                    ? new Message(message.Topic, from, [.. message.Payloads], message.TraceContext)
                    : new Message(message.Topic, from, [.. message.Payloads]));
            }
            last = envelopes[i];
        }
        return envelopes;
    });

    /// <summary>A batch frame as a peer link writes it: the header, the envelopes, then the credit set as it leaves.</summary>
    internal static byte[] Frame(IEnumerable<Envelope> envelopes, long credit)
    {
        var frame = new FrameBuffer(64);
        WireFormat.WriteCreditedBatchHeader(frame);
        foreach (var envelope in envelopes) envelope.WriteTo(frame);
        var bytes = frame.WrittenSpan.ToArray();
        WireFormat.SetBatchCredit(bytes, credit);
        return bytes;
    }

    private static List<Envelope> Read(byte[] frame)
    {
        var envelopes = new List<Envelope>();
        int count = WireFormat.ReadBatch(frame, new PidCache(),
            (target, message) => envelopes.Add(new Envelope(target, message)),
            (target, signal) => envelopes.Add(new Envelope(target, signal)));
        Assert.Equal(count, envelopes.Count);
        return envelopes;
    }

    /// <summary>Decodes a frame as the endpoint does (an empty frame dropped, a credit frame, else a batch) under the shared property.</summary>
    private static (List<Envelope>? Value, WispException? Error) Decode(byte[] frame)
    {
        var outcome = Expect.ValueOrError<List<Envelope>, WispException>(Corpus.Hex(frame),
            () =>
            {
                if (frame is [WireFormat.Credit, ..]) WireFormat.ReadCredit(frame);
                if (frame is [WireFormat.CreditedBatch, ..]) WireFormat.ReadBatchCredit(frame);
                return frame is [] or [WireFormat.Credit, ..] ? [] : Read(frame);
            },
            error =>
            {
                Assert.Equal(ErrorKind.Invalid, error.Kind);
                Assert.StartsWith("frame: ", error.Message);
            },
            Expect.AllocationBound(frame.Length));
        foreach (var envelope in outcome.Value ?? []) Assert.True(WellFormed(envelope.Item), $"{Corpus.Hex(frame)} decoded to {envelope}");
        return outcome;
    }

    /// <summary>What the node may be handed: neutral payloads, a defined signal kind, a result where the kind needs one.</summary>
    private static bool WellFormed(object item) => item switch
    {
        Message message => message.Topic is not null && message.Payloads.All(PayloadEquality.IsNeutral),
        RemoteSignal signal => Enum.IsDefined(signal.Kind)
            && (signal.Result is not null || signal.Kind is not (RemoteSignalKind.Exit or RemoteSignalKind.LinkDown))
            && (signal.Result is null || PayloadEquality.IsNeutral(signal.Result.Value) && PayloadEquality.IsNeutral(signal.Result.Error)),
        _ => false,
    };

    private static bool Same(Envelope one, Envelope other) =>
        PayloadEquality.Equal(one.Target, other.Target) && (one.Item, other.Item) switch
        {
            (Message a, Message b) => a.Topic == b.Topic && PayloadEquality.Equal(a.From, b.From)
                && a.IsTraced == b.IsTraced && a.TraceContext.TraceId == b.TraceContext.TraceId
                && a.TraceContext.SpanId == b.TraceContext.SpanId && a.TraceContext.TraceFlags == b.TraceContext.TraceFlags
                && PayloadEquality.Equal(new PayloadList(a.Payloads), new PayloadList(b.Payloads)),
            (RemoteSignal a, RemoteSignal b) => a.Kind == b.Kind && PayloadEquality.Equal(a.From, b.From) && a.Reason == b.Reason
                && (a.Result is null) == (b.Result is null)
                && PayloadEquality.Equal(a.Result?.Value, b.Result?.Value) && PayloadEquality.Equal(a.Result?.Error, b.Result?.Error),
            _ => false,
        };
}
