using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Wisp;

/// <summary>
/// Between C# values and the neutral payload model, which is what crosses to and from Lua processes (and, later,
/// other nodes): nil, booleans, 64-bit integers, floats, strings, byte strings (<c>byte[]</c>), <see cref="PayloadList"/>,
/// <see cref="PayloadMap"/>, <see cref="Pid"/>, errors (<see cref="ProcessError"/>) and payloads kept in an encoded format
/// (<see cref="EncodedPayload"/>).
///
/// Rules:
/// - values already in the model pass as they are (its containers are never mutated once built, so sharing is
///   safe); other integers become longs, other floating-point numbers doubles;
/// - any other C# value (a record, a class, a collection) is mapped by System.Text.Json, by its members: a record
///   becomes a map whose keys are its property names in snake_case (<c>Sender</c> → <c>sender</c>), a collection a
///   list, an enum its name; no type name travels, so a payload never decides which C# type it is read as;
/// - reading a payload as a type (<see cref="Convert"/>) goes the other way, matching keys case-insensitively; an
///   encoded payload is decoded first (JSON, MessagePack, text, bytes; YAML is read only as the EncodedPayload);
///   what cannot be read as that type (a missing required member, a fraction for an integer, a cycle) is an
///   <see cref="ErrorKind.Invalid"/> error that says why.
/// Stateless: the serializer options are built once and never changed.
/// </summary>
public static class PayloadCodec
{
    private static readonly JsonSerializerOptions Options = CreateOptions();

    /// <summary>The serializer's options, made read-only so that each type's contract is built once and cached.</summary>
    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = null,
            PropertyNameCaseInsensitive = true,
            IncludeFields = true,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            Converters = { new PidConverter(), new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        };
        options.MakeReadOnly();
        return options;
    }

    /// <summary>True for a value that is already in the neutral model (containers not inspected).</summary>
    public static bool IsNeutral(object? value) =>
        value is null or bool or long or double or string or byte[] or PayloadMap or PayloadList or Pid or ProcessError or EncodedPayload;

    /// <summary>A C# value in the neutral model; values already in it are returned as they are.</summary>
    public static object? ToNeutral(object? value)
    {
        switch (value)
        {
            case null or bool or long or double or string or byte[] or PayloadMap or PayloadList or Pid or ProcessError or EncodedPayload:
                return value;
            case int or short or sbyte or byte or ushort or uint:
                return System.Convert.ToInt64(value, CultureInfo.InvariantCulture);
            case ulong u:
                return u <= long.MaxValue ? (object)(long)u : (double)u;
            case float or decimal:
                return System.Convert.ToDouble(value, CultureInfo.InvariantCulture);
            case char c:
                return c.ToString();
        }
        try
        {
            return FromContract(value, 0);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new WispException(ErrorKind.Invalid, $"a {value.GetType().Name} cannot be made a payload: {e.Message}", e);
        }
    }

    private const int MaxDepth = 64;

    /// <summary>
    /// A C# object through System.Text.Json's contract of its type (the members it would serialize, named by the
    /// naming policy), read directly rather than written as JSON and parsed back. Types whose contract is not an
    /// object, a collection or a dictionary (numbers, dates, enums, types with converters) go through JSON.
    /// </summary>
    private static object? FromContract(object? value, int depth)
    {
        switch (value)
        {
            case null or bool or long or double or string or byte[] or PayloadMap or PayloadList or Pid or ProcessError or EncodedPayload:
                return value;
            case int or short or sbyte or byte or ushort or uint:
                return System.Convert.ToInt64(value, CultureInfo.InvariantCulture);
            case float:
                return System.Convert.ToDouble(value, CultureInfo.InvariantCulture);
        }
        if (depth > MaxDepth) throw new WispException(ErrorKind.Invalid, $"a value nested deeper than {MaxDepth} levels cannot be made a payload");
        var contract = Contracts.GetOrAdd(value.GetType(), static type => new Contract(Options.GetTypeInfo(type)));
        var info = contract.Info;
        switch (info.Kind)
        {
            case JsonTypeInfoKind.Object when contract.Readable is { } properties:
                var map = new PayloadMap(properties.Length);
                foreach (var property in properties)
                {
                    var member = property.Get!(value);
                    if (property.ShouldSerialize is { } should && !should(value, member)) continue;
                    map.Add(property.Name, FromContract(member, depth + 1));
                }
                return map;
            case JsonTypeInfoKind.Dictionary when value is IDictionary dictionary:
                var entries = new PayloadMap(dictionary.Count);
                foreach (DictionaryEntry entry in dictionary)
                    entries.Add(entry.Key as string ?? System.Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "", FromContract(entry.Value, depth + 1));
                return entries;
            case JsonTypeInfoKind.Enumerable when value is IEnumerable items:
                var list = new PayloadList();
                foreach (var item in items) list.Add(FromContract(item, depth + 1));
                return list;
            default:
                return FromElement(JsonSerializer.SerializeToElement(value, value.GetType(), Options));
        }
    }

    /// <summary>What the codec reads of a type's contract, found once per type (the options are read-only).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, Contract> Contracts = new();

    private sealed class Contract(JsonTypeInfo info)
    {
        public JsonTypeInfo Info { get; } = info;

        /// <summary>
        /// The members to read, when the contract is an object one of System.Text.Json's own (a custom converter
        /// decides its JSON itself, so its type goes through JSON); else null.
        /// </summary>
        public JsonPropertyInfo[]? Readable { get; } =
            info.Kind == JsonTypeInfoKind.Object && info.Converter.GetType().Namespace?.StartsWith("System.Text.Json", StringComparison.Ordinal) == true
                ? info.Properties.Where(p => p.Get is not null).ToArray()
                : null;
    }

    /// <summary>Reads a payload value as <typeparamref name="T"/> (see the rules above).</summary>
    public static T Convert<T>(object? value) => (T)Convert(value, typeof(T))!;

    /// <summary>Reads a payload value as <paramref name="type"/>; throws <see cref="ErrorKind.Invalid"/> when it cannot.</summary>
    public static object? Convert(object? value, Type type)
    {
        if (type.IsInstanceOfType(value)) return value;
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (value is null)
        {
            if (!type.IsValueType || underlying != type) return null;
            throw new WispException(ErrorKind.Invalid, $"a nil payload cannot be read as {type.Name}");
        }
        if (underlying == typeof(Pid) && value is string text)
            return Pid.TryParse(text, out var pid) ? pid : throw new WispException(ErrorKind.Invalid, $"invalid pid format: '{text}'");
        if (underlying == typeof(string) && value is Pid p) return p.ToString();
        if (underlying == typeof(object)) return value;
        if (value is EncodedPayload encoded) return Convert(Decode(encoded), type);
        byte[] json;
        try
        {
            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer)) WriteJson(writer, value, new HashSet<object>(ReferenceEqualityComparer.Instance));
            json = buffer.WrittenSpan.ToArray();
        }
        catch (CyclicPayloadException)
        {
            throw new WispException(ErrorKind.Invalid, $"a payload that contains itself cannot be read as {type.Name}");
        }
        try
        {
            return JsonSerializer.Deserialize(json, type, Options);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            throw new WispException(ErrorKind.Invalid, $"payload {PayloadText.Format(value)} cannot be read as {type.Name}: {e.Message}", e);
        }
    }

    /// <summary>An encoded payload as a value of the model; YAML is refused (the core reads no YAML).</summary>
    private static object? Decode(EncodedPayload payload)
    {
        switch (payload.Format)
        {
            case EncodedPayload.Json:
                try
                {
                    using var document = JsonDocument.Parse(payload.Data);
                    return FromElement(document.RootElement);
                }
                catch (JsonException e)
                {
                    throw new WispException(ErrorKind.Invalid, $"a json/plain payload that is not JSON: {e.Message}", e);
                }
            case EncodedPayload.MsgPack:
                return PayloadEncoding.Decode(payload.Data);
            case EncodedPayload.Text:
                return System.Text.Encoding.UTF8.GetString(payload.Data);
            case EncodedPayload.Bytes:
                return payload.Data;
            default:
                throw new WispException(ErrorKind.Invalid, $"a {payload.Format} payload can only be read as an {nameof(EncodedPayload)}");
        }
    }

    private static object? FromElement(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var map = new PayloadMap();
                foreach (var property in element.EnumerateObject()) map.Add(property.Name, FromElement(property.Value));
                return map;
            case JsonValueKind.Array:
                var list = new PayloadList(element.GetArrayLength());
                foreach (var item in element.EnumerateArray()) list.Add(FromElement(item));
                return list;
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Number:
                return element.TryGetInt64(out long l) ? (object)l : element.GetDouble();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }

    private static void WriteJson(Utf8JsonWriter writer, object? value, HashSet<object> open)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case double d:
                if (double.IsFinite(d)) writer.WriteNumberValue(d);
                else writer.WriteStringValue(d.ToString(CultureInfo.InvariantCulture));   // read back by AllowNamedFloatingPointLiterals
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case byte[] bytes:
                writer.WriteBase64StringValue(bytes);
                break;
            case Pid pid:
                writer.WriteStringValue(pid.ToString());
                break;
            case EncodedPayload encoded:
                WriteJson(writer, Decode(encoded), open);
                break;
            case ProcessError error:
                writer.WriteStartObject();
                writer.WriteString("message", error.Message);
                writer.WriteString("kind", error.Kind.ToString());
                if (error.Retryable is { } retryable) writer.WriteBoolean("retryable", retryable);
                writer.WriteEndObject();
                break;
            case PayloadMap map:
                if (!open.Add(map)) throw new CyclicPayloadException();
                writer.WriteStartObject();
                foreach (var (key, item) in map.Entries)
                {
                    writer.WritePropertyName(key as string ?? System.Convert.ToString(key, CultureInfo.InvariantCulture)!.ToLowerInvariant());
                    WriteJson(writer, item, open);
                }
                writer.WriteEndObject();
                open.Remove(map);
                break;
            case PayloadList list:
                if (!open.Add(list)) throw new CyclicPayloadException();
                writer.WriteStartArray();
                foreach (var item in list) WriteJson(writer, item, open);
                writer.WriteEndArray();
                open.Remove(list);
                break;
            default:
                JsonSerializer.Serialize(writer, value, value.GetType(), Options);   // a C# value inside a hand-built payload
                break;
        }
    }

    private sealed class CyclicPayloadException : Exception;

    /// <summary>PIDs are strings in every payload, as in the seed's runtime.</summary>
    private sealed class PidConverter : JsonConverter<Pid>
    {
        public override Pid Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String && Pid.TryParse(reader.GetString(), out var pid)
                ? pid
                : throw new JsonException($"expected a PID string such as {{app:processes|0x00001}}, got {reader.TokenType}");

        public override void Write(Utf8JsonWriter writer, Pid value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }
}
