using System.Buffers;
using System.Text;
using MessagePack;

namespace Wisp;

/// <summary>
/// The binary form of the neutral payload model (MessagePack), for what leaves the process: messages to other
/// nodes. Nil, booleans, integers, floats, strings (UTF-8 str), byte strings (bin), lists (array) and maps (map,
/// keys as they are) use MessagePack's own types; a PID is extension type 1 (its text) or, when it names its node's
/// incarnation, type 3 (the creation as 4 bytes, big-endian, then the text); an error is extension type 2 (an array:
/// message, kind, retryable or nil, details); an encoded payload extension type 4 (an array: format, bin).
///
/// Rules: encoding refuses a payload larger than the limit (<see cref="ErrorKind.LimitExceeded"/>, so the sender
/// hears why) and one that contains itself (<see cref="ErrorKind.Invalid"/>); decoding builds only neutral values,
/// never a type named by the data, and refuses nesting deeper than <see cref="MaxDepth"/>, unknown extensions and
/// map keys that are not scalars, each with an Invalid error that says where.
/// </summary>
public static class PayloadEncoding
{
    /// <summary>The default size limit of an encoded payload: 64 MiB.</summary>
    public const int DefaultMaxBytes = 64 << 20;

    public const int MaxDepth = 128;
    private const sbyte PidExtension = 1;
    private const sbyte ErrorExtension = 2;
    private const sbyte PidWithCreationExtension = 3;
    private const sbyte EncodedExtension = 4;

    /// <summary>Encodes a payload (a C# value is first made neutral by <see cref="PayloadCodec.ToNeutral"/>).</summary>
    public static byte[] Encode(object? value, int maxBytes = DefaultMaxBytes)
    {
        var buffer = new LimitedBuffer(maxBytes);
        var writer = new MessagePackWriter(buffer);
        Write(ref writer, PayloadCodec.ToNeutral(value), open: null, maxBytes);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Writes a payload into <paramref name="output"/> (a frame that carries several values), with the rules and the
    /// limit of <see cref="Encode"/>; what was written before the limit was passed stays written, so a caller that
    /// frames several values keeps its own mark to roll back to.
    /// </summary>
    public static void Write(IBufferWriter<byte> output, object? value, int maxBytes = DefaultMaxBytes)
    {
        var neutral = PayloadCodec.ToNeutral(value);
        if (neutral is PayloadList or PayloadMap or ProcessError)
        {
            var limited = new LimitedBuffer(output, maxBytes);
            var writer = new MessagePackWriter(limited);
            Write(ref writer, neutral, open: null, maxBytes);
            writer.Flush();
            return;
        }
        // A scalar (the common payload) contains nothing: its size is known before it is written.
        long size = neutral switch
        {
            string s => s.Length <= maxBytes / 3 ? 0 : Encoding.UTF8.GetByteCount(s),
            byte[] bytes => bytes.Length,
            _ => 0,
        };
        if (size > maxBytes) throw new WispException(ErrorKind.LimitExceeded, $"payload too large: more than {maxBytes} bytes");
        var direct = new MessagePackWriter(output);
        Write(ref direct, neutral, open: null, maxBytes);
        direct.Flush();
    }

    /// <summary>Reads one payload value written by <see cref="Write(IBufferWriter{byte}, object?, int)"/>; Invalid errors as <see cref="Decode"/>.</summary>
    public static object? Read(ref MessagePackReader reader)
    {
        long start = reader.Consumed;
        try
        {
            return Read(ref reader, 0);
        }
        catch (Exception e) when (IsMalformed(e))
        {
            throw new WispException(ErrorKind.Invalid, $"payload: malformed at byte {reader.Consumed} (the value began at {start}): {e.Message}", e);
        }
    }

    public static object? Decode(ReadOnlyMemory<byte> bytes)
    {
        var reader = new MessagePackReader(bytes);
        try
        {
            var value = Read(ref reader, 0);
            if (!reader.End) throw new WispException(ErrorKind.Invalid, $"payload: {bytes.Length - reader.Consumed} byte(s) after the value");
            return value;
        }
        catch (Exception e) when (IsMalformed(e))
        {
            throw new WispException(ErrorKind.Invalid, $"payload: malformed at byte {reader.Consumed}: {e.Message}", e);
        }
    }

    /// <summary>Writes a neutral value; <paramref name="open"/> holds the containers being written (made at the first one: a scalar needs none).</summary>
    private static void Write(ref MessagePackWriter writer, object? value, HashSet<object>? open, int maxBytes)
    {
        switch (value)
        {
            case null:
                writer.WriteNil();
                break;
            case bool b:
                writer.Write(b);
                break;
            case long l:
                writer.Write(l);
                break;
            case double d:
                writer.Write(d);
                break;
            case string s:
                writer.Write(s);
                break;
            case byte[] bytes:
                writer.Write(bytes.AsSpan());
                break;
            case Pid pid:
                WritePid(ref writer, pid);
                break;
            case ProcessError error:
                WriteExtension(ref writer, ErrorExtension, maxBytes, (ref MessagePackWriter fields) =>
                {
                    fields.WriteArrayHeader(4);
                    fields.Write(error.Message);
                    fields.Write(error.Kind.ToString());
                    if (error.Retryable is { } retryable) fields.Write(retryable);
                    else fields.WriteNil();
                    Write(ref fields, error.Details, open, maxBytes);
                });
                break;
            case EncodedPayload encoded:
                WriteExtension(ref writer, EncodedExtension, maxBytes, (ref MessagePackWriter fields) =>
                {
                    fields.WriteArrayHeader(2);
                    fields.Write(encoded.Format);
                    fields.Write(encoded.Data.AsSpan());
                });
                break;
            case PayloadList list:
                open ??= new HashSet<object>(ReferenceEqualityComparer.Instance);
                if (!open.Add(list)) throw Cyclic();
                writer.WriteArrayHeader(list.Count);
                foreach (var item in list) Write(ref writer, item, open, maxBytes);
                open.Remove(list);
                break;
            case PayloadMap map:
                open ??= new HashSet<object>(ReferenceEqualityComparer.Instance);
                if (!open.Add(map)) throw Cyclic();
                writer.WriteMapHeader(map.Entries.Count);
                foreach (var (key, item) in map.Entries)
                {
                    Write(ref writer, key, open, maxBytes);
                    Write(ref writer, item, open, maxBytes);
                }
                open.Remove(map);
                break;
            default:
                throw new WispException(ErrorKind.Invalid, $"payload: a {value.GetType().Name} is not a payload value");
        }
    }

    private delegate void ExtensionBody(ref MessagePackWriter fields);

    /// <summary>Writes an extension whose data <paramref name="body"/> writes (its size is known only once written).</summary>
    private static void WriteExtension(ref MessagePackWriter writer, sbyte code, int maxBytes, ExtensionBody body)
    {
        var buffer = new LimitedBuffer(maxBytes);
        var fields = new MessagePackWriter(buffer);
        body(ref fields);
        fields.Flush();
        writer.WriteExtensionFormat(new ExtensionResult(code, buffer.WrittenMemory.ToArray()));
    }

    private static object? Read(ref MessagePackReader reader, int depth)
    {
        if (depth > MaxDepth) throw new WispException(ErrorKind.Invalid, $"payload: nested deeper than {MaxDepth} at byte {reader.Consumed}");
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Nil:
                reader.ReadNil();
                return null;
            case MessagePackType.Boolean:
                return reader.ReadBoolean();
            case MessagePackType.Integer:
                return reader.NextCode == MessagePackCode.UInt64 ? ReadUnsigned(ref reader) : reader.ReadInt64();
            case MessagePackType.Float:
                return reader.ReadDouble();
            case MessagePackType.String:
                return reader.ReadString();
            case MessagePackType.Binary:
                return reader.ReadBytes()?.ToArray() ?? [];
            case MessagePackType.Array:
                int count = reader.ReadArrayHeader();
                var list = new PayloadList(count);
                for (int i = 0; i < count; i++) list.Add(Read(ref reader, depth + 1));
                return list;
            case MessagePackType.Map:
                int entries = reader.ReadMapHeader();
                var map = new PayloadMap(entries);
                for (int i = 0; i < entries; i++)
                {
                    long at = reader.Consumed;
                    var key = Read(ref reader, depth + 1);
                    if (key is not (string or long or double or bool))
                        throw new WispException(ErrorKind.Invalid, $"payload: a map key at byte {at} is a {key?.GetType().Name ?? "nil"}, not a scalar");
                    map.Add(key, Read(ref reader, depth + 1));
                }
                return map;
            case MessagePackType.Extension:
                long start = reader.Consumed;
                var extension = reader.ReadExtensionFormat();
                return extension.TypeCode switch
                {
                    PidExtension or PidWithCreationExtension => ReadPid(extension, start),
                    ErrorExtension => ReadError(extension.Data, depth),
                    EncodedExtension => ReadEncoded(extension.Data, start),
                    var code => throw new WispException(ErrorKind.Invalid, $"payload: unknown extension type {code} at byte {start}"),
                };
            default:
                throw new WispException(ErrorKind.Invalid, $"payload: unexpected MessagePack code {reader.NextCode} at byte {reader.Consumed}");
        }
    }

    /// <summary>Writes a PID as the payload extension (with its creation when it has one).</summary>
    public static void WritePid(ref MessagePackWriter writer, Pid pid)
    {
        Span<byte> text = stackalloc byte[256];
        if (!pid.TryFormat(text, out int length, default, null)) text = Encoding.UTF8.GetBytes(pid.ToString());
        else text = text[..length];
        int extra = pid.Creation == 0 ? 0 : 4;
        writer.WriteExtensionFormatHeader(new ExtensionHeader(extra == 0 ? PidExtension : PidWithCreationExtension, (uint)(text.Length + extra)));
        var destination = writer.GetSpan(text.Length + extra);
        if (extra > 0) System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(destination, pid.Creation);
        text.CopyTo(destination[extra..]);
        writer.Advance(text.Length + extra);
    }

    /// <summary>Reads a PID written by <see cref="WritePid"/>; an Invalid error for anything else.</summary>
    public static Pid ReadPid(ref MessagePackReader reader)
    {
        long start = reader.Consumed;
        if (reader.NextMessagePackType != MessagePackType.Extension)
            throw new WispException(ErrorKind.Invalid, $"payload: a PID expected at byte {start}");
        var extension = reader.ReadExtensionFormat();
        if (extension.TypeCode is not (PidExtension or PidWithCreationExtension))
            throw new WispException(ErrorKind.Invalid, $"payload: a PID expected at byte {start}");
        return ReadPid(extension, start);
    }

    private static Pid ReadPid(ExtensionResult extension, long start) =>
        ParsePid(extension.TypeCode, extension.Data.IsSingleSegment ? extension.Data.FirstSpan : extension.Data.ToArray(), start);

    /// <summary>The PID a PID extension's data (of type <paramref name="typeCode"/>) holds; an Invalid error naming <paramref name="at"/> otherwise.</summary>
    public static Pid ParsePid(sbyte typeCode, ReadOnlySpan<byte> data, long at)
    {
        uint creation = 0;
        if (typeCode == PidWithCreationExtension)
        {
            if (data.Length < 4) throw new WispException(ErrorKind.Invalid, $"payload: an invalid PID at byte {at}");
            creation = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(data);
            data = data[4..];
        }
        else if (typeCode != PidExtension) throw new WispException(ErrorKind.Invalid, $"payload: a PID expected at byte {at}");
        if (!Pid.TryParse(Encoding.UTF8.GetString(data), out var pid))
            throw new WispException(ErrorKind.Invalid, $"payload: an invalid PID at byte {at}");
        return creation == 0 ? pid : Pid.Trusted(pid.Node, pid.Host, pid.Id, creation);
    }

    private static object ReadUnsigned(ref MessagePackReader reader)
    {
        ulong value = reader.ReadUInt64();
        return value <= long.MaxValue ? (object)(long)value : (double)value;
    }

    private static ProcessError ReadError(ReadOnlySequence<byte> data, int depth)
    {
        var reader = new MessagePackReader(data);
        if (reader.ReadArrayHeader() != 4) throw new WispException(ErrorKind.Invalid, "payload: an error must have 4 fields");
        var message = reader.ReadString() ?? "";
        var kindText = reader.ReadString();
        bool? retryable = reader.TryReadNil() ? null : reader.ReadBoolean();
        var details = Read(ref reader, depth + 1);
        // Defined kinds only: Enum.TryParse also takes numbers and comma lists, which can name none.
        var kind = Enum.TryParse<ErrorKind>(kindText, out var parsed) && Enum.IsDefined(parsed) ? parsed : ErrorKind.Unknown;
        return new ProcessError(message, kind, retryable) { Details = details };
    }

    private static EncodedPayload ReadEncoded(ReadOnlySequence<byte> data, long start)
    {
        var reader = new MessagePackReader(data);
        if (reader.ReadArrayHeader() != 2) throw new WispException(ErrorKind.Invalid, $"payload: an encoded payload at byte {start} must have 2 fields");
        var format = reader.ReadString();
        if (string.IsNullOrEmpty(format)) throw new WispException(ErrorKind.Invalid, $"payload: an encoded payload at byte {start} has no format");
        return new EncodedPayload(format, reader.ReadBytes()?.ToArray() ?? []);
    }

    /// <summary>
    /// What MessagePack's reader throws on bytes that are not what they claim: besides its own errors, an
    /// ArgumentOutOfRangeException for a length of 2 GiB or more, which it reads as a negative int.
    /// </summary>
    public static bool IsMalformed(Exception e) =>
        e is MessagePackSerializationException or EndOfStreamException or InvalidOperationException or OverflowException or ArgumentOutOfRangeException;

    private static WispException Cyclic() => new(ErrorKind.Invalid, "payload: a value that contains itself cannot be encoded");

    /// <summary>A buffer (its own, or one it writes through) that refuses to take more than the size limit.</summary>
    private sealed class LimitedBuffer(IBufferWriter<byte> inner, int maxBytes) : IBufferWriter<byte>
    {
        private readonly IBufferWriter<byte> _inner = inner;
        private int _written;

        public LimitedBuffer(int maxBytes) : this(new ArrayBufferWriter<byte>(), maxBytes) { }

        public ReadOnlySpan<byte> WrittenSpan => ((ArrayBufferWriter<byte>)_inner).WrittenSpan;
        public ReadOnlyMemory<byte> WrittenMemory => ((ArrayBufferWriter<byte>)_inner).WrittenMemory;

        public void Advance(int count)
        {
            if (_written + count > maxBytes)
                throw new WispException(ErrorKind.LimitExceeded, $"payload too large: more than {maxBytes} bytes");
            _written += count;
            _inner.Advance(count);
        }

        public Memory<byte> GetMemory(int sizeHint = 0) => _inner.GetMemory(sizeHint);
        public Span<byte> GetSpan(int sizeHint = 0) => _inner.GetSpan(sizeHint);
    }
}
