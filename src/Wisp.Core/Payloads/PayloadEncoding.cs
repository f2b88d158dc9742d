using System.Buffers;
using System.Text;
using MessagePack;

namespace Wisp;

/// <summary>
/// The binary form of the neutral payload model (MessagePack), for what leaves the process: messages to other
/// nodes. Nil, booleans, integers, floats, strings (UTF-8 str), byte strings (bin), lists (array) and maps (map,
/// keys as they are) use MessagePack's own types; a PID is extension type 1 (its text), an error extension type 2
/// (an array: message, kind, retryable or nil, details).
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

    /// <summary>Encodes a payload (a C# value is first made neutral by <see cref="PayloadCodec.ToNeutral"/>).</summary>
    public static byte[] Encode(object? value, int maxBytes = DefaultMaxBytes)
    {
        var buffer = new LimitedBuffer(maxBytes);
        var writer = new MessagePackWriter(buffer);
        Write(ref writer, PayloadCodec.ToNeutral(value), new HashSet<object>(ReferenceEqualityComparer.Instance), maxBytes);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
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
        catch (Exception e) when (e is MessagePackSerializationException or EndOfStreamException or InvalidOperationException or OverflowException)
        {
            throw new WispException(ErrorKind.Invalid, $"payload: malformed at byte {reader.Consumed}: {e.Message}", e);
        }
    }

    private static void Write(ref MessagePackWriter writer, object? value, HashSet<object> open, int maxBytes)
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
                writer.WriteExtensionFormat(new ExtensionResult(PidExtension, Encoding.UTF8.GetBytes(pid.ToString())));
                break;
            case ProcessError error:
                var inner = new LimitedBuffer(maxBytes);
                var nested = new MessagePackWriter(inner);
                nested.WriteArrayHeader(4);
                nested.Write(error.Message);
                nested.Write(error.Kind.ToString());
                if (error.Retryable is { } retryable) nested.Write(retryable);
                else nested.WriteNil();
                Write(ref nested, error.Details, open, maxBytes);
                nested.Flush();
                writer.WriteExtensionFormat(new ExtensionResult(ErrorExtension, inner.WrittenMemory.ToArray()));
                break;
            case PayloadList list:
                if (!open.Add(list)) throw Cyclic();
                writer.WriteArrayHeader(list.Count);
                foreach (var item in list) Write(ref writer, item, open, maxBytes);
                open.Remove(list);
                break;
            case PayloadMap map:
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
                    PidExtension => Pid.TryParse(Encoding.UTF8.GetString(extension.Data), out var pid) ? pid
                        : throw new WispException(ErrorKind.Invalid, $"payload: an invalid PID at byte {start}"),
                    ErrorExtension => ReadError(extension.Data, depth),
                    var code => throw new WispException(ErrorKind.Invalid, $"payload: unknown extension type {code} at byte {start}"),
                };
            default:
                throw new WispException(ErrorKind.Invalid, $"payload: unexpected MessagePack code {reader.NextCode} at byte {reader.Consumed}");
        }
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
        var kind = Enum.TryParse<ErrorKind>(kindText, out var parsed) ? parsed : ErrorKind.Unknown;
        return new ProcessError(message, kind, retryable) { Details = details };
    }

    private static WispException Cyclic() => new(ErrorKind.Invalid, "payload: a value that contains itself cannot be encoded");

    /// <summary>A growing buffer that refuses to pass the size limit.</summary>
    private sealed class LimitedBuffer(int maxBytes) : IBufferWriter<byte>
    {
        private readonly ArrayBufferWriter<byte> _inner = new();

        public ReadOnlySpan<byte> WrittenSpan => _inner.WrittenSpan;
        public ReadOnlyMemory<byte> WrittenMemory => _inner.WrittenMemory;

        public void Advance(int count)
        {
            if (_inner.WrittenCount + count > maxBytes)
                throw new WispException(ErrorKind.LimitExceeded, $"payload too large: more than {maxBytes} bytes");
            _inner.Advance(count);
        }

        public Memory<byte> GetMemory(int sizeHint = 0) => _inner.GetMemory(sizeHint);
        public Span<byte> GetSpan(int sizeHint = 0) => _inner.GetSpan(sizeHint);
    }
}
