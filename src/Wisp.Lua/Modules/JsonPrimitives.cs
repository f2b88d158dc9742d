using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using static Wisp.Lua.Native.LuaApi;

namespace Wisp.Lua;

/// <summary>
/// The <c>json</c> module: Lua values to JSON text and back, with the reference's rules (docs/lua.md):
/// - encode: nil is null; a table is an array when its keys are exactly 1..n, an object when it has no integer
///   keys (other keys written as their text: strings, booleans, floats), and an error when it mixes them or has
///   gaps; an empty table is []; object keys are written in ascending order, so equal values give equal text;
///   integers print as integers, a float with an integral value without a fraction, Inf and NaN as null; a table
///   reached again while it is being written (a cycle) and nesting deeper than 128 are errors;
/// - decode: a number without a fraction or exponent that fits 64 bits is an integer, others floats; null is nil
///   (a null member is absent); nesting deeper than 128 is an error.
/// A result alone on success, as the reference gives it; errors are values (nil and the error): Internal for what the
/// text or the table holds, Invalid for a bad argument.
/// </summary>
internal static unsafe class JsonPrimitives
{
    public const int MaxDepth = 128;

    public static void Register(Primitives.Registrar p)
    {
        p.Add("json_encode", &Encode);
        p.Add("json_decode", &Decode);
        p.Add("json_validate", &Validate);
        p.Add("json_validate_string", &ValidateString);
    }

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,   // JSON's own escapes only, not HTML's
        SkipValidation = true,
    };

    private static int Encode(LuaCall call)
    {
        byte[] text;
        try
        {
            text = ToJson(call.L, 1);
        }
        catch (JsonEncodeException e)
        {
            return call.Fail(e.Message, ErrorKind.Internal);
        }
        PushBytes(call.L, text);
        return 1;
    }

    /// <summary>The JSON text of the value at <paramref name="index"/>; a <see cref="JsonEncodeException"/> says why it has none.</summary>
    internal static byte[] ToJson(nint L, int index)
    {
        var output = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(output, WriterOptions)) new Encoder(L, writer).Write(index, 0);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>json_validate(schema, value): true, or false and the error (Invalid: the schema, or what fails it).</summary>
    private static int Validate(LuaCall call)
    {
        byte[] data;
        try
        {
            data = ToJson(call.L, 2);
        }
        catch (JsonEncodeException e)
        {
            return call.Refuse(e.Message, ErrorKind.Internal);
        }
        return Check(call, data);
    }

    /// <summary>json_validate_string(schema, text): as json_validate, for JSON text (not decoded into Lua first).</summary>
    private static int ValidateString(LuaCall call)
    {
        if (call.Type(2) != TString) return call.Refuse("string expected", ErrorKind.Invalid);
        return Check(call, ToBytes(call.L, 2).ToArray());
    }

    private static int Check(LuaCall call, byte[] data)
    {
        Json.Schema.JsonSchema schema;
        try
        {
            schema = SchemaAt(call);
        }
        catch (JsonEncodeException e)
        {
            return call.Refuse($"invalid schema: {e.Message}", ErrorKind.Invalid);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or Json.Schema.JsonSchemaException)
        {
            return call.Refuse($"invalid schema: {e.Message}", ErrorKind.Invalid);
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(data, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException e)
        {
            return call.Refuse(e.Message, ErrorKind.Internal);
        }
        using (document)
        {
            var results = schema.Evaluate(document.RootElement, new Json.Schema.EvaluationOptions
            {
                OutputFormat = Json.Schema.OutputFormat.List,
                RequireFormatValidation = true,
            });
            if (results.IsValid) return call.True();
            var failures = (results.Details ?? []).Prepend(results)
                .Where(r => r.Errors is { Count: > 0 })
                .SelectMany(r => r.Errors!.Select(e => $"{Location(r.InstanceLocation.ToString())}: {e.Value}"))
                .Distinct();
            return call.Refuse("validation failed: " + string.Join("; ", failures), ErrorKind.Invalid);
        }
    }

    private static string Location(string pointer) => pointer.Length == 0 ? "/" : pointer;

    /// <summary>The schema at argument 1 (a table or JSON text), built once per text for the node.</summary>
    private static Json.Schema.JsonSchema SchemaAt(LuaCall call)
    {
        string text = call.Type(1) switch
        {
            TString => Encoding.UTF8.GetString(ToBytes(call.L, 1)),
            TTable or TBoolean => Encoding.UTF8.GetString(ToJson(call.L, 1)),
            _ => throw new JsonEncodeException("a schema is a table or a JSON string"),
        };
        var schemas = call.Shard.Engine.Schemas;
        if (schemas.TryGetValue(text, out var known)) return known;
        if (schemas.Count >= LuaRuntime.MaxCachedSchemas) schemas.Clear();
        return schemas.GetOrAdd(text, t => Json.Schema.JsonSchema.FromText(t));
    }

    private static int Decode(LuaCall call)
    {
        if (call.Type(1) != TString) return call.Fail("string expected", ErrorKind.Invalid);
        var text = ToBytes(call.L, 1);
        if (text.Length == 0) return call.Fail("empty string is not valid JSON", ErrorKind.Invalid);
        try
        {
            PushDecoded(call.L, text);
        }
        catch (JsonException e)
        {
            return call.Fail(e.Message, ErrorKind.Internal);
        }
        return 1;
    }

    /// <summary>Pushes the value <paramref name="text"/> holds; a <see cref="JsonException"/> (nothing pushed) says why it holds none.</summary>
    internal static void PushDecoded(nint L, ReadOnlySpan<byte> text)
    {
        int top = lua_gettop(L);
        try
        {
            var reader = new Utf8JsonReader(text, new JsonReaderOptions { MaxDepth = MaxDepth });
            if (!reader.Read()) throw new JsonException("no JSON value");
            new Decoder(L).Push(ref reader);
            if (reader.Read()) throw new JsonException($"unexpected data after the value at byte {reader.TokenStartIndex}");
        }
        catch (JsonException)
        {
            lua_settop(L, top);
            throw;
        }
    }

    internal sealed class JsonEncodeException(string message) : Exception(message);

    /// <summary>Writes the value at a stack index; a table on the path from the root is a cycle.</summary>
    private readonly ref struct Encoder(nint L, Utf8JsonWriter writer)
    {
        private readonly HashSet<nint> _path = [];

        public void Write(int index, int depth)
        {
            switch (lua_type(L, index))
            {
                case TNil or TNone:
                    writer.WriteNullValue();
                    break;
                case TBoolean:
                    writer.WriteBooleanValue(lua_toboolean(L, index) != 0);
                    break;
                case TNumber:
                    if (lua_isinteger(L, index) != 0) writer.WriteNumberValue(lua_tointegerx(L, index, null));
                    else WriteFloat(lua_tonumberx(L, index, null));
                    break;
                case TString:
                    writer.WriteStringValue(ToBytes(L, index));
                    break;
                case TTable:
                    WriteTable(lua_absindex(L, index), depth + 1);
                    break;
                case var type:
                    throw new JsonEncodeException($"cannot encode {TypeName(type)} to JSON");
            }
        }

        private void WriteFloat(double d)
        {
            if (!double.IsFinite(d)) writer.WriteNullValue();
            else if (d == Math.Floor(d) && Math.Abs(d) < 1e15) writer.WriteNumberValue((long)d);
            else writer.WriteNumberValue(d);
        }

        private void WriteTable(int index, int depth)
        {
            if (depth > MaxDepth) throw new JsonEncodeException($"cannot encode tables nested deeper than {MaxDepth}");
            nint identity = lua_topointer(L, index);
            if (!_path.Add(identity)) throw new JsonEncodeException("cannot encode recursively nested tables to JSON");
            lua_checkstack(L, 4);
            long length = (long)lua_rawlen(L, index);
            long count = 0, integers = 0, maxInteger = 0;
            List<Key>? keys = null;
            lua_pushnil(L);
            while (lua_next(L, index) != 0)
            {
                count++;
                switch (lua_type(L, -2))
                {
                    case TNumber when lua_isinteger(L, -2) != 0:
                        integers++;
                        maxInteger = Math.Max(maxInteger, lua_tointegerx(L, -2, null));
                        break;
                    case TString:
                        (keys ??= []).Add(new Key(Encoding.UTF8.GetString(ToBytes(L, -2)), TString, 0));
                        break;
                    case TNumber:
                        (keys ??= []).Add(new Key(LuaNumbers.Format(lua_tonumberx(L, -2, null)), TNumber, lua_tonumberx(L, -2, null)));
                        break;
                    case TBoolean:
                        (keys ??= []).Add(new Key(lua_toboolean(L, -2) != 0 ? "true" : "false", TBoolean, lua_toboolean(L, -2)));
                        break;
                    default:
                        Pop(L, 2);
                        throw new JsonEncodeException("cannot encode mixed or invalid key types");
                }
                Pop(L, 1);
            }
            if (integers > 0 && keys is not null) throw new JsonEncodeException("cannot encode mixed or invalid key types");
            if (keys is null)
            {
                if (integers > 0 && (maxInteger != integers || length != integers)) throw new JsonEncodeException("cannot encode sparse array");
                writer.WriteStartArray();
                for (long i = 1; i <= integers; i++)
                {
                    lua_rawgeti(L, index, i);
                    Write(-1, depth);
                    Pop(L, 1);
                }
                writer.WriteEndArray();
            }
            else
            {
                keys.Sort((a, b) => string.CompareOrdinal(a.Text, b.Text));
                writer.WriteStartObject();
                foreach (var key in keys)
                {
                    writer.WritePropertyName(key.Text);
                    switch (key.Type)
                    {
                        case TString: PushString(L, key.Text); break;
                        case TNumber: lua_pushnumber(L, key.Number); break;
                        default: lua_pushboolean(L, (int)key.Number); break;
                    }
                    lua_rawget(L, index);
                    Write(-1, depth);
                    Pop(L, 1);
                }
                writer.WriteEndObject();
            }
            _path.Remove(identity);
        }

        private readonly record struct Key(string Text, int Type, double Number);
    }

    /// <summary>Pushes the JSON value the reader is on (and reads past it).</summary>
    private readonly ref struct Decoder(nint L)
    {
        public void Push(ref Utf8JsonReader reader)
        {
            lua_checkstack(L, 4);
            switch (reader.TokenType)
            {
                case JsonTokenType.Null:
                    lua_pushnil(L);
                    break;
                case JsonTokenType.True or JsonTokenType.False:
                    lua_pushboolean(L, reader.GetBoolean() ? 1 : 0);
                    break;
                case JsonTokenType.Number:
                    var raw = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
                    if (raw.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0 && reader.TryGetInt64(out long integer)) lua_pushinteger(L, integer);
                    else lua_pushnumber(L, reader.GetDouble());
                    break;
                case JsonTokenType.String:
                    PushString(L, reader.GetString()!);
                    break;
                case JsonTokenType.StartArray:
                    lua_createtable(L, 0, 0);
                    long i = 0;
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        Push(ref reader);
                        lua_rawseti(L, -2, ++i);   // a null leaves a hole, as in the reference
                    }
                    break;
                case JsonTokenType.StartObject:
                    lua_createtable(L, 0, 0);
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                    {
                        PushString(L, reader.GetString()!);
                        reader.Read();
                        Push(ref reader);
                        lua_rawset(L, -3);
                    }
                    break;
                default:
                    throw new JsonException($"unexpected {reader.TokenType} at byte {reader.TokenStartIndex}");
            }
        }
    }
}
