using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using MessagePack;

namespace Wisp.Cluster;

/// <summary>
/// What one node's endpoint sends another's, as the byte arrays Akka carries (its built-in byte-array serializer:
/// Akka never decodes a Wisp value). A frame's first byte is its kind:
/// - <see cref="Batch"/>: envelopes back to back, each a MessagePack array: a message
///   <c>[0, target, from, topic, payload...]</c>, a message sent under a trace <c>[2, target, from, topic, trace, payload...]</c>
///   (trace: 25 bytes, the W3C trace id, span id and flags of its send's activity; written only for a traced message, so
///   untraced traffic is as before and a node reads frames of nodes that predate it; a node that predates it refuses
///   kind 2, so trace across nodes once all run this version), or a signal
///   <c>[1, target, kind, from, has_result, value, error, reason]</c>, or a message on the route of the frame's previous
///   message <c>[3, topic, payload...]</c> (same target, same sender: a stream between two processes leaves its PIDs out
///   after the first; a node that predates it refuses kind 3, so upgrade a cluster's nodes together);
///   PIDs and payloads in Wisp's binary payload encoding (PayloadEncoding), which builds only neutral values;
/// - <see cref="Credit"/>: 8 bytes, big-endian: how many bytes of batches the receiver has delivered (the sender's
///   window opens by as much);
/// - <see cref="CreditedBatch"/>: a credit (8 bytes, big-endian; 0 for none) then a batch's envelopes: the credit a node
///   owes its peer rides on the next batch it sends there, so a request and its reply cost no frames of credit. A node
///   sends only this kind and reads both; one that predates it refuses kind 3, so upgrade a cluster's nodes together.
/// Decoding refuses anything else (a signal kind RemoteSignalKind does not name, an EXIT or LINK_DOWN without a result,
/// a PID or payload that does not decode) with an Invalid error that starts <c>frame:</c> and says where.
/// </summary>
internal static class WireFormat
{
    public const byte Batch = 1, Credit = 2, CreditedBatch = 3;

    /// <summary>The bytes of a <see cref="CreditedBatch"/> frame before its envelopes: the kind and the credit.</summary>
    public const int CreditedBatchHeader = 9;
    private const int MessageItem = 0, SignalItem = 1, TracedMessageItem = 2, RoutedMessageItem = 3;
    private const int TraceBytes = 25;

    /// <summary>Writes one message envelope; a payload past <paramref name="maxBytes"/> (all payloads together) is LimitExceeded.</summary>
    public static void WriteMessage(FrameBuffer output, Pid target, Message message, int maxBytes)
    {
        int payloads = message.PayloadCount;
        bool traced = message.IsTraced;
        bool routed = !traced && output.Route is { } route && route.Matches(target, message.From);
        var writer = new MessagePackWriter(output);
        writer.WriteArrayHeader((routed ? 2 : traced ? 5 : 4) + payloads);
        writer.Write(routed ? RoutedMessageItem : traced ? TracedMessageItem : MessageItem);
        if (!routed)
        {
            PayloadEncoding.WritePid(ref writer, target);
            PayloadEncoding.WritePid(ref writer, message.From);
        }
        writer.Write(message.Topic);
        if (traced) WriteTrace(ref writer, message.TraceContext);
        writer.Flush();
        int start = output.Written;
        for (int i = 0; i < payloads; i++) PayloadEncoding.Write(output, message.PayloadAt(i), maxBytes - (output.Written - start));
        output.Route = new MessageRoute(target, message.From);
    }

    public static void WriteSignal(FrameBuffer output, Pid target, RemoteSignal signal, int maxBytes)
    {
        var writer = new MessagePackWriter(output);
        writer.WriteArrayHeader(8);
        writer.Write(SignalItem);
        PayloadEncoding.WritePid(ref writer, target);
        writer.Write((int)signal.Kind);
        PayloadEncoding.WritePid(ref writer, signal.From);
        writer.Write(signal.Result is not null);
        writer.Flush();
        int start = output.Written;
        PayloadEncoding.Write(output, signal.Result?.Value, maxBytes);
        PayloadEncoding.Write(output, signal.Result?.Error, maxBytes - (output.Written - start));
        writer = new MessagePackWriter(output);
        writer.Write(signal.Reason);
        writer.Flush();
    }

    private static void WriteTrace(ref MessagePackWriter writer, ActivityContext trace)
    {
        var bytes = new byte[TraceBytes];   // a traced send only
        trace.TraceId.CopyTo(bytes.AsSpan(0, 16));
        trace.SpanId.CopyTo(bytes.AsSpan(16, 8));
        bytes[24] = (byte)trace.TraceFlags;
        writer.Write(bytes);
    }

    /// <summary>A trace as written by <see cref="WriteTrace"/>; ids of zeros are no trace (W3C's invalid ids).</summary>
    private static ActivityContext ReadTrace(ref MessagePackReader reader, long at)
    {
        var bytes = reader.ReadBytes() ?? throw Malformed(at, "a traced message without its trace");
        if (bytes.Length != TraceBytes) throw Malformed(at, $"a trace of {bytes.Length} bytes");
        Span<byte> span = stackalloc byte[TraceBytes];
        bytes.CopyTo(span);
        if (!span[..16].ContainsAnyExcept((byte)0) || !span[16..24].ContainsAnyExcept((byte)0)) throw Malformed(at, "a trace with an id of zeros");
        return new ActivityContext(ActivityTraceId.CreateFromBytes(span[..16]), ActivitySpanId.CreateFromBytes(span[16..24]),
            (ActivityTraceFlags)span[24], isRemote: true);
    }

    public static byte[] CreditFrame(long bytes)
    {
        var frame = new byte[9];
        frame[0] = Credit;
        BinaryPrimitives.WriteInt64BigEndian(frame.AsSpan(1), bytes);
        return frame;
    }

    /// <summary>Starts a <see cref="CreditedBatch"/> frame in an empty buffer; its credit is set when it leaves (<see cref="SetBatchCredit"/>).</summary>
    public static void WriteCreditedBatchHeader(FrameBuffer output)
    {
        var header = output.GetSpan(CreditedBatchHeader)[..CreditedBatchHeader];
        header.Clear();
        header[0] = CreditedBatch;
        output.Advance(CreditedBatchHeader);
    }

    public static void SetBatchCredit(byte[] frame, long bytes) => BinaryPrimitives.WriteInt64BigEndian(frame.AsSpan(1, 8), bytes);

    /// <summary>The credit a batch frame carries: 0 for a <see cref="Batch"/>.</summary>
    public static long ReadBatchCredit(byte[] frame) =>
        EnvelopesStart(frame) == CreditedBatchHeader ? BinaryPrimitives.ReadInt64BigEndian(frame.AsSpan(1, 8)) : 0;

    /// <summary>Where a batch frame's envelopes start; a credited batch too short for its credit is malformed.</summary>
    private static int EnvelopesStart(ReadOnlySpan<byte> frame) => frame[0] != CreditedBatch ? 1
        : frame.Length >= CreditedBatchHeader ? CreditedBatchHeader
        : throw Malformed(0, $"a credited batch of {frame.Length} bytes");

    public static long ReadCredit(byte[] frame) =>
        frame.Length == 9 ? BinaryPrimitives.ReadInt64BigEndian(frame.AsSpan(1)) : throw Malformed(0, $"a credit frame of {frame.Length} bytes");

    /// <summary>Reads a batch frame (after its header), handing each envelope to <paramref name="remote"/>.</summary>
    public static int ReadBatch(ReadOnlyMemory<byte> frame, RemoteNodes remote, PidCache pids) =>
        ReadBatch(frame, pids, remote.Deliver, remote.Receive);

    /// <summary>Reads a batch frame (after its header), handing each message to <paramref name="deliver"/> and each signal to <paramref name="receive"/>.</summary>
    public static int ReadBatch(ReadOnlyMemory<byte> frame, PidCache pids, Action<Pid, Message> deliver, Action<Pid, RemoteSignal> receive)
    {
        int start = EnvelopesStart(frame.Span);
        var reader = new MessagePackReader(frame[start..]);
        MessageRoute? route = null;
        int count = 0;
        long at = start;
        try
        {
            while (!reader.End)
            {
                at = reader.Consumed + start;
                int fields = reader.ReadArrayHeader();
                int item = reader.ReadInt32();
                if ((item == MessageItem && fields >= 4) || (item == TracedMessageItem && fields >= 5) || (item == RoutedMessageItem && fields >= 2))
                {
                    if (item != RoutedMessageItem) route = new MessageRoute(pids.Read(ref reader), pids.Read(ref reader));
                    var (target, from) = route ?? throw Malformed(at, "a message on the previous route with no message before it");
                    var topic = reader.ReadString() ?? throw Malformed(at, "a message without a topic");
                    ActivityContext? trace = item == TracedMessageItem ? ReadTrace(ref reader, at) : null;
                    int payloads = fields - (item == RoutedMessageItem ? 2 : trace is null ? 4 : 5);
                    Message message;
                    if (trace is { } context) message = new Message(topic, from, ReadPayloads(ref reader, payloads), context);
                    else if (payloads == 1) message = new Message(topic, from, PayloadEncoding.Read(ref reader));
                    else message = new Message(topic, from, ReadPayloads(ref reader, payloads));
                    deliver(target, message);
                }
                else if (item == SignalItem && fields == 8)
                {
                    var target = pids.Read(ref reader);
                    int kind = reader.ReadInt32();
                    if (kind is < 0 or > byte.MaxValue || !Enum.IsDefined((RemoteSignalKind)kind)) throw Malformed(at, $"an unknown signal kind {kind}");
                    var from = pids.Read(ref reader);
                    bool hasResult = reader.ReadBoolean();
                    var value = PayloadEncoding.Read(ref reader);
                    var error = PayloadEncoding.Read(ref reader) switch
                    {
                        null => null,
                        ProcessError e => e,
                        _ => throw Malformed(at, "a signal whose error is not an error value"),
                    };
                    var reason = reader.TryReadNil() ? null : reader.ReadString();
                    if (!hasResult && (RemoteSignalKind)kind is RemoteSignalKind.Exit or RemoteSignalKind.LinkDown)
                        throw Malformed(at, $"a {(RemoteSignalKind)kind} signal without a result");
                    receive(target, new RemoteSignal((RemoteSignalKind)kind, from, hasResult ? new ExitResult(value, error) : null, reason));
                }
                else throw Malformed(at, $"an envelope of kind {item} with {fields} fields");
                count++;
            }
        }
        catch (Exception e) when (PayloadEncoding.IsMalformed(e))
        {
            throw Malformed(reader.Consumed + start, e.Message, e);
        }
        catch (WispException e) when (e is not MalformedFrame)
        {
            throw Malformed(at, $"envelope {count}: {e.Message}", e);   // a PID or a payload of the envelope
        }
        return count;
    }

    private static object?[] ReadPayloads(ref MessagePackReader reader, int count)
    {
        var payloads = new object?[count];
        for (int i = 0; i < payloads.Length; i++) payloads[i] = PayloadEncoding.Read(ref reader);
        return payloads;
    }

    private static MalformedFrame Malformed(long at, string what, Exception? inner = null) => new($"frame: {what} at byte {at}", inner);

    /// <summary>The error of a frame that cannot be read, its message naming where.</summary>
    private sealed class MalformedFrame(string message, Exception? inner) : WispException(ErrorKind.Invalid, message, inner);
}
