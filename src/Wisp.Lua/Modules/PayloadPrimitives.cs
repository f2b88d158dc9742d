using System.Text.Json;
using YamlDotNet.Core;
using static Wisp.Lua.Native.LuaApi;

namespace Wisp.Lua;

/// <summary>
/// The <c>payload</c> module's transcoding (docs/lua.md). A Payload object holds a Lua value (formats
/// <c>lua/any</c>; <c>golang/any</c> for a value a C# process sent; <c>golang/error</c> for an error) or the bytes
/// of an encoded format as a Lua string: <c>json/plain</c> (the json module's rules), <c>yaml/plain</c>,
/// <c>application/msgpack</c> (the payload model's MessagePack), <c>text/plain</c> and
/// <c>application/octet-stream</c> (a string as it is, another value as Go's <c>%v</c> writes it). As the
/// reference's graph of transcoders, a format goes to another through the Lua value: decoded, then encoded.
/// Failures are the reference's: Internal, not retryable, with details <c>from</c> and <c>to</c>; "no transcoding
/// path found from X to Y" for a format it cannot reach (an error payload reaches none).
/// </summary>
internal static unsafe class PayloadPrimitives
{
    public const string Lua = "lua/any";
    public const string Golang = "golang/any";
    public const string Error = "golang/error";

    /// <summary>Whether a payload of <paramref name="format"/> holds a Lua value (else the bytes of its encoding).</summary>
    public static bool HoldsValue(string? format) => format is Lua or Golang or Error;

    public static void Register(Primitives.Registrar p)
    {
        p.Add("payload_decode", &Decode);
        p.Add("payload_transcode", &Transcode);
    }

    /// <summary>payload_decode(data, format): the Lua value of an encoded payload (one result), or nil and the error.</summary>
    private static int Decode(LuaCall call)
    {
        try
        {
            PushDecoded(call.Shard, call.L, call.Text(2) ?? "", ToBytes(call.L, 1));
        }
        catch (TranscodeException e)
        {
            return call.Fail(e.Error);
        }
        return 1;
    }

    /// <summary>payload_transcode(value or data, from, to): the value or data of the payload in <c>to</c>, or nil and the error.</summary>
    private static int Transcode(LuaCall call)
    {
        string from = call.Text(2) ?? "", to = call.Text(3) ?? "";
        try
        {
            if (from == Error || to is not (Lua or Golang or EncodedPayload.Json or EncodedPayload.Yaml or EncodedPayload.MsgPack
                    or EncodedPayload.Text or EncodedPayload.Bytes))
                throw NoPath(from, to);
            int value = 1;
            if (!HoldsValue(from))
            {
                PushDecoded(call.Shard, call.L, from, ToBytes(call.L, 1));
                value = lua_gettop(call.L);
                from = Lua;
            }
            if (to is Lua or Golang) lua_pushvalue(call.L, value);
            else PushBytes(call.L, Encode(call, value, from, to));
        }
        catch (TranscodeException e)
        {
            return call.Fail(e.Error);
        }
        lua_pushnil(call.L);
        return 2;
    }

    /// <summary>Pushes the Lua value of <paramref name="data"/> in <paramref name="format"/>; a <see cref="TranscodeException"/> says why it has none.</summary>
    public static void PushDecoded(LuaShard shard, nint L, string format, ReadOnlySpan<byte> data)
    {
        switch (format)
        {
            case EncodedPayload.Json:
                try
                {
                    JsonPrimitives.PushDecoded(L, data);
                }
                catch (JsonException e)
                {
                    throw Step(format, Lua, "failed to decode JSON", e);
                }
                break;
            case EncodedPayload.Yaml:
                try
                {
                    LuaValues.Push(shard, L, PayloadYaml.Decode(data));
                }
                catch (Exception e) when (e is YamlException or WispException)
                {
                    throw Step(format, Lua, "failed to unmarshal YAML", e);
                }
                break;
            case EncodedPayload.MsgPack:
                try
                {
                    LuaValues.Push(shard, L, PayloadEncoding.Decode(data.ToArray()));
                }
                catch (WispException e)
                {
                    throw Step(format, Lua, "failed to decode MsgPack", e);
                }
                break;
            case EncodedPayload.Text or EncodedPayload.Bytes:
                PushBytes(L, data);
                break;
            default:
                throw NoPath(format, Lua);
        }
    }

    /// <summary>The value at <paramref name="index"/> encoded in <paramref name="to"/> (an encoded format).</summary>
    private static byte[] Encode(LuaCall call, int index, string from, string to)
    {
        try
        {
            switch (to)
            {
                case EncodedPayload.Json:
                    return JsonPrimitives.ToJson(call.L, index);
                case EncodedPayload.Yaml:
                    return PayloadYaml.Encode(Neutral(call, index));
                case EncodedPayload.MsgPack:
                    return PayloadEncoding.Encode(Neutral(call, index), MaxBytes(call));
                default:
                    return call.Type(index) == TString ? ToBytes(call.L, index).ToArray() : GoValueText.Bytes(Neutral(call, index));
            }
        }
        catch (Exception e) when (e is JsonPrimitives.JsonEncodeException or WispException)
        {
            throw Step(from, to, to switch
            {
                EncodedPayload.Json => "failed to encode to JSON",
                EncodedPayload.Yaml => "failed to marshal to YAML",
                EncodedPayload.MsgPack => "failed to encode to MsgPack",
                _ => "failed to convert to text",
            }, e);
        }
    }

    private static object? Neutral(LuaCall call, int index) => LuaValues.ToNeutral(call.Shard, call.L, index, MaxBytes(call));

    private static int MaxBytes(LuaCall call) => (int)Math.Min(call.HasProcess ? call.Process.MaxPayloadBytes : PayloadEncoding.DefaultMaxBytes, int.MaxValue);

    private static TranscodeException NoPath(string from, string to) =>
        new(new ProcessError($"no transcoding path found from {from} to {to}", ErrorKind.Internal, false)
        {
            Details = new PayloadMap([new("from", from), new("to", to)]),
        });

    private static TranscodeException Step(string from, string to, string what, Exception cause) =>
        new(new ProcessError($"error transcoding from {from} to {to}: {what}: {cause.Message}", ErrorKind.Internal, false)
        {
            Details = new PayloadMap([new("from", from), new("to", to), new("cause", $"{what}: {cause.Message}")]),
        });

    /// <summary>A transcoding that failed, with the error Lua gets (a WispException, so that copying a value into a state reports it too).</summary>
    internal sealed class TranscodeException(ProcessError error) : WispException(error.Kind, error.Message)
    {
        public ProcessError Error { get; } = error;
    }
}
