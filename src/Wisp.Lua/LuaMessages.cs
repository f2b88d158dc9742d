using static Wisp.Lua.Native.LuaApi;

namespace Wisp.Lua;

/// <summary>
/// Messages and events as Lua sees them. A message is an object with <c>topic()</c>, <c>from()</c> and
/// <c>payload()</c> (a Payload object, an array of them for several payloads, nil for none), whose value is
/// copied into the state when the message is taken; an event is a plain table with the reference's fields
/// (<c>kind, from, at</c>, and <c>result = {value, error}</c> or <c>reason</c>).
/// </summary>
internal static class LuaMessages
{
    /// <summary>
    /// The format a payload says it has: a value from Lua, or from C# (a record the codec maps: the reference's name
    /// for a value of its host language, <c>golang/any</c>), or the format of an encoded payload.
    /// </summary>
    private static string FormatOf(object? value) => value switch
    {
        EncodedPayload encoded => encoded.Format,
        _ when PayloadCodec.IsNeutral(value) => PayloadPrimitives.Lua,
        _ => PayloadPrimitives.Golang,
    };

    public static void PushMessage(LuaShard shard, nint T, Message message, bool rawPayloads)
    {
        lua_checkstack(T, 8);
        if (rawPayloads)
        {
            // listen() without {message = true}: no payload is nil, one is its value, several an array
            switch (message.PayloadCount)
            {
                case 0:
                    lua_pushnil(T);
                    break;
                case 1:
                    PushValue(shard, T, message.PayloadAt(0));
                    break;
                default:
                    lua_createtable(T, message.PayloadCount, 0);
                    for (int i = 0; i < message.PayloadCount; i++)
                    {
                        PushValue(shard, T, message.PayloadAt(i));
                        lua_rawseti(T, -2, i + 1);
                    }
                    break;
            }
            return;
        }
        lua_createtable(T, 3, 0);
        shard.Texts.Push(T, message.Topic);
        lua_rawseti(T, -2, 1);
        if (message.From.IsNone) PushString(T, "");
        else shard.Texts.Push(T, message.From);
        lua_rawseti(T, -2, 2);
        switch (message.PayloadCount)
        {
            case 0:
                break;
            case 1:
                PushPayload(shard, T, message.PayloadAt(0));
                lua_rawseti(T, -2, 3);
                break;
            default:
                lua_createtable(T, message.PayloadCount, 0);
                for (int i = 0; i < message.PayloadCount; i++)
                {
                    PushPayload(shard, T, message.PayloadAt(i));
                    lua_rawseti(T, -2, i + 1);
                }
                lua_rawseti(T, -2, 3);
                break;
        }
        lua_rawgeti(T, RegistryIndex, shard.MessageMt);
        lua_setmetatable(T, -2);
    }

    /// <summary>
    /// A Payload object: {value or encoded data, format, error}; a value the codec cannot map gives data() → nil, err.
    /// </summary>
    public static void PushPayload(LuaShard shard, nint T, object? value)
    {
        lua_createtable(T, 3, 0);
        try
        {
            if (value is EncodedPayload encoded) PushBytes(T, encoded.Data);
            else LuaValues.Push(shard, T, value);
            lua_rawseti(T, -2, 1);
        }
        catch (WispException e)
        {
            ErrorValues.Push(shard, T, e.Message, ErrorKind.Internal);
            lua_rawseti(T, -2, 3);
        }
        shard.Texts.Push(T, FormatOf(value));
        lua_rawseti(T, -2, 2);
        lua_rawgeti(T, RegistryIndex, shard.PayloadMt);
        lua_setmetatable(T, -2);
    }

    private static void PushValue(LuaShard shard, nint T, object? value)
    {
        try
        {
            LuaValues.Push(shard, T, value);
        }
        catch (WispException)
        {
            lua_pushnil(T);
        }
    }

    public static void PushEvent(LuaShard shard, nint T, ProcessEvent e)
    {
        lua_checkstack(T, 8);
        var texts = shard.Texts;
        lua_createtable(T, 0, 4);
        texts.SetField(T, "kind", e.KindName);
        texts.Push(T, "from");
        texts.Push(T, e.From);
        lua_rawset(T, -3);
        texts.Push(T, "at");
        lua_pushinteger(T, e.At.ToUnixTimeSeconds());
        lua_rawset(T, -3);
        if (e.Result is { } result)
        {
            texts.Push(T, "result");
            lua_createtable(T, 0, 1);
            if (result.Error is { } error)
            {
                texts.Push(T, "error");
                ErrorValues.Push(shard, T, error, details => PushValue(shard, T, details));
                lua_rawset(T, -3);
            }
            else if (result.Value is not null)
            {
                texts.Push(T, "value");
                PushValue(shard, T, result.Value);
                lua_rawset(T, -3);
            }
            lua_rawset(T, -3);
        }
        if (e.Reason is { } reason) texts.SetField(T, "reason", reason);
    }
}
