using System.Collections;
using Microsoft.Extensions.Logging;
using static Wisp.Lua.Native.LuaApi;

namespace Wisp.Lua;

/// <summary>
/// The <c>logger</c> module's one primitive: an entry through the node's ILogger with the process's PID (the
/// process logger's scope), the logger's name, the location of the call (<c>entry:line</c>, as the reference adds
/// it) and the fields. Fields are structured values (strings, numbers, booleans; tables as JSON text; an error as
/// its message; a time, duration or location as its text; other userdata and functions as their type's name), and
/// the text form is the message followed by the fields as JSON, as the reference's console shows them.
/// </summary>
internal static unsafe class LoggerPrimitives
{
    public static void Register(Primitives.Registrar p) => p.Add("log", &Log);

    /// <summary>log(level, name, with_fields, message, fields, line).</summary>
    private static int Log(LuaCall call)
    {
        if (!call.HasProcess) return 0;
        var logger = call.Process.Context.Logger;
        var level = (ToInteger(call.L, 1) ?? 1) switch
        {
            0 => LogLevel.Debug,
            1 => LogLevel.Information,
            2 => LogLevel.Warning,
            _ => LogLevel.Error,
        };
        if (!logger.IsEnabled(level)) return 0;
        var fields = new List<KeyValuePair<string, object?>>();
        if (call.Text(2) is { } name) fields.Add(new("logger", name));
        if (ToInteger(call.L, 6) is { } line and > 0) fields.Add(new("location", $"{call.Process.Context.EntryId}:{line}"));
        if (call.Type(3) == TTable) AddFields(call, 3, fields);
        if (call.Type(5) == TTable) AddFields(call, 5, fields);
        logger.Log(level, 0, new LuaLogEntry(call.Text(4) ?? "", fields), null, static (entry, _) => entry.ToString());
        return 0;
    }

    private static void AddFields(LuaCall call, int table, List<KeyValuePair<string, object?>> fields)
    {
        nint L = call.L;
        lua_pushnil(L);
        while (lua_next(L, table) != 0)
        {
            if (lua_type(L, -2) == TString)
            {
                var key = ToText(L, -2)!;
                object? value = lua_type(L, -1) switch
                {
                    TString => ToText(L, -1),
                    TNumber => lua_isinteger(L, -1) != 0 ? (object)lua_tointegerx(L, -1, null) : lua_tonumberx(L, -1, null),
                    TBoolean => lua_toboolean(L, -1) != 0,
                    TTable => Neutral(call, lua_gettop(L)),
                    TUserdata when ErrorValues.MessageOf(L, -1) is { } message => message,
                    TUserdata when TimePrimitives.TextOf(call, lua_gettop(L)) is { } text => text,
                    TNil => null,
                    var type => TypeName(type),
                };
                int existing = fields.FindIndex(f => f.Key == key);
                if (existing >= 0) fields[existing] = new(key, value);
                else fields.Add(new(key, value));
            }
            Pop(L, 1);
        }
    }

    /// <summary>A table field as a payload value (its text form is JSON, nested tables included).</summary>
    private static object? Neutral(LuaCall call, int index)
    {
        try
        {
            return LuaValues.ToNeutral(call.Shard, call.L, index, 1 << 20);
        }
        catch (WispException e)
        {
            return $"<{e.Message}>";
        }
    }

    /// <summary>A log entry's state: its fields for structured sinks, the message and fields as JSON for text ones.</summary>
    private sealed class LuaLogEntry(string message, List<KeyValuePair<string, object?>> fields) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public int Count => fields.Count + 1;
        public KeyValuePair<string, object?> this[int index] => index < fields.Count ? fields[index] : new("{OriginalFormat}", message);
        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            for (int i = 0; i < Count; i++) yield return this[i];
        }
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString()
        {
            if (fields.Count == 0) return message;
            var map = new PayloadMap();
            foreach (var (key, value) in fields) map.Add(key, value);
            return $"{message} {map}";
        }
    }
}
