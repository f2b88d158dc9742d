using System.Text.Unicode;
using static Wisp.Lua.Native.LuaApi;

namespace Wisp.Lua;

/// <summary>
/// Between Lua values and the neutral payload model (see PayloadCodec in the core): what a Lua process sends,
/// spawns with or returns is copied out of its state, and what it receives is copied in.
///
/// Rules (the reference's, docs/lua.md):
/// - nil, booleans, integers (kept integers), floats, strings pass as they are; a string that is not UTF-8 is a
///   byte string;
/// - a table whose keys are exactly 1..n (n ≥ 1) is a list, any other table a map (an empty one is an empty map);
///   map keys are strings, integers, floats or booleans, others are dropped; a table that is reached twice (a
///   cycle, or shared) is copied once and shared the same way on the other side;
/// - a Payload object stands for its value, or for its encoded form and format (<see cref="EncodedPayload"/>) when it
///   holds another format than Lua's, which arrives decoded into its value; an error object is an error (message,
///   kind, retryable, details);
/// - functions, threads and other userdata (channels, timers, times) become nil, as in the reference (convert
///   them first, e.g. with tostring or t:unix());
/// - a copy larger than its limit (counted as the encoded size would be) is refused with LimitExceeded, and
///   nesting deeper than <see cref="MaxDepth"/> with Invalid, so a sender hears why.
/// Reading never runs a metamethod (raw access only).
/// </summary>
internal static unsafe class LuaValues
{
    public const int MaxDepth = 200;

    /// <summary>Copies the value at <paramref name="index"/> out of the state.</summary>
    public static object? ToNeutral(LuaShard shard, nint L, int index, long maxBytes)
    {
        var reader = shard.ValueReader is { InUse: false } idle ? idle : new Reader(shard);
        return reader.Run(L, lua_absindex(L, index), maxBytes);
    }

    /// <summary>
    /// Copies one value out of a state. Each shard keeps one (its thread is the only user) so that a copy
    /// allocates only what it makes; a copy started while one runs gets a reader of its own.
    /// </summary>
    internal sealed class Reader(LuaShard shard)
    {
        private const int KeptTables = 1024;   // a table of seen tables grown past this is let go after the copy

        private Dictionary<nint, object>? _seen;
        private nint L;
        private long maxBytes;
        private long _bytes;

        public bool InUse { get; private set; }

        public object? Run(nint state, int index, long limit)
        {
            (L, maxBytes, _bytes, InUse) = (state, limit, 0, true);
            try
            {
                return Read(index, 0);
            }
            finally
            {
                if (_seen is { Count: > KeptTables }) _seen = null;
                else _seen?.Clear();
                (L, InUse) = (0, false);
            }
        }

        public object? Read(int index, int depth)
        {
            switch (lua_type(L, index))
            {
                case TBoolean:
                    Count(1);
                    return lua_toboolean(L, index) != 0;
                case TNumber:
                    Count(9);
                    return lua_isinteger(L, index) != 0 ? (object)lua_tointegerx(L, index, null) : lua_tonumberx(L, index, null);
                case TString:
                    return ReadString(index);
                case TTable:
                    return ReadTable(index, depth);
                case TUserdata when Userdata.TagOf(L, index) == UserdataTag.Error:
                    return ErrorValues.Read(L, index, ReadDetails);
                default:
                    Count(1);
                    return null;
            }
        }

        private object? ReadDetails(int index) => Read(index, 1);

        private object ReadString(int index)
        {
            var bytes = ToBytes(L, index);
            Count(bytes.Length + 5);
            if (Utf8.IsValid(bytes)) return shard.Texts.Text(L, index);
            return bytes.ToArray();
        }

        private object? ReadTable(int index, int depth)
        {
            if (depth >= MaxDepth) throw new WispException(ErrorKind.Invalid, $"payload nested deeper than {MaxDepth} tables");
            nint identity = lua_topointer(L, index);
            if (_seen?.TryGetValue(identity, out var known) == true) return known;
            if (lua_checkstack(L, 4) == 0) throw new WispException(ErrorKind.LimitExceeded, "payload too deep for the Lua stack");

            if (lua_getmetatable(L, index) != 0)
            {
                lua_rawgeti(L, RegistryIndex, shard.PayloadMt);
                bool isPayload = lua_rawequal(L, -1, -2) != 0;
                Pop(L, 2);
                if (isPayload) return ReadPayload(index, depth);
            }

            Count(5);
            long length = (long)lua_rawlen(L, index);
            PayloadList? list = length > 0 ? new PayloadList((int)Math.Min(length, 1024)) : null;
            PayloadMap? map = null;
            if (list is not null) (_seen ??= [])[identity] = list;
            else (_seen ??= [])[identity] = map = new PayloadMap();

            long expected = 1;
            lua_pushnil(L);
            while (lua_next(L, index) != 0)
            {
                int valueIndex = lua_gettop(L), keyIndex = valueIndex - 1;
                if (map is null && lua_type(L, keyIndex) == TNumber && lua_isinteger(L, keyIndex) != 0
                    && lua_tointegerx(L, keyIndex, null) == expected)
                {
                    list!.Add(Read(valueIndex, depth + 1));
                    expected++;
                }
                else
                {
                    if (map is null)   // not a sequence after all: what was read so far becomes integer keys
                    {
                        map = new PayloadMap();
                        for (int i = 0; i < list!.Count; i++) map.Add((long)(i + 1), list[i]);
                        _seen![identity] = map;
                        list = null;
                    }
                    if (Key(keyIndex) is { } key) map.Add(key, Read(valueIndex, depth + 1));
                }
                Pop(L, 1);
            }
            if (list is not null && list.Count != length)   // a border with holes: keep the keys as they are
            {
                map = new PayloadMap();
                for (int i = 0; i < list.Count; i++) map.Add((long)(i + 1), list[i]);
                _seen![identity] = map;
                return map;
            }
            return (object?)list ?? map;
        }

        private object? ReadPayload(int index, int depth)
        {
            lua_rawgeti(L, index, 2);
            var format = ToText(L, -1);
            lua_rawgeti(L, index, 1);
            object? value;
            if (PayloadPrimitives.HoldsValue(format)) value = Read(lua_gettop(L), depth + 1);
            else
            {
                var data = ToBytes(L, -1);
                Count(data.Length + 5);
                value = new EncodedPayload(format ?? "", data.ToArray());
            }
            Pop(L, 2);
            return value;
        }

        private object? Key(int index)
        {
            switch (lua_type(L, index))
            {
                case TString:
                    Count((int)lua_rawlen(L, index) + 5);
                    return ReadString(index) as string;   // a key that is not UTF-8 text is dropped
                case TNumber:
                    Count(9);
                    return lua_isinteger(L, index) != 0 ? (object)lua_tointegerx(L, index, null) : lua_tonumberx(L, index, null);
                case TBoolean:
                    Count(1);
                    return lua_toboolean(L, index) != 0;
                default:
                    return null;
            }
        }

        private void Count(long bytes)
        {
            _bytes += bytes;
            if (_bytes > maxBytes) throw new WispException(ErrorKind.LimitExceeded, $"payload too large: more than {maxBytes} bytes");
        }
    }

    /// <summary>
    /// Pushes a payload value onto <paramref name="L"/> (a C# value is first made neutral by PayloadCodec, which
    /// may throw Invalid). Shared and cyclic containers stay shared and cyclic.
    /// </summary>
    public static void Push(LuaShard shard, nint L, object? value)
    {
        if (lua_checkstack(L, 8) == 0) throw new WispException(ErrorKind.LimitExceeded, "no room on the Lua stack");
        switch (value)
        {
            case null:
                lua_pushnil(L);
                return;
            case string s:
                shard.Texts.Push(L, s);
                return;
            case long l:
                lua_pushinteger(L, l);
                return;
            case bool b:
                lua_pushboolean(L, b ? 1 : 0);
                return;
            case double d:
                lua_pushnumber(L, d);
                return;
        }
        var writer = shard.ValueWriter is { InUse: false } idle ? idle : new Writer(shard);
        writer.Run(L, PayloadCodec.ToNeutral(value));
    }

    /// <summary>
    /// Pushes one neutral value into a state, keeping shared and cyclic containers shared. Kept per shard, as the
    /// reader is; a flat map or list (no container inside) needs no look for sharing at all.
    /// </summary>
    internal sealed class Writer(LuaShard shard)
    {
        private const int KeptContainers = 1024;

        private readonly HashSet<object> _seen = new(ReferenceEqualityComparer.Instance);
        private readonly Stack<object?> _pending = new();
        private HashSet<object>? _shared;
        private Dictionary<object, int>? _made;   // a shared container → its index in the table at 'table'
        private nint L;
        private int table;

        public bool InUse { get; private set; }

        private HashSet<object>? shared => _shared is { Count: > 0 } s ? s : null;

        public void Run(nint state, object? neutral)
        {
            (L, InUse) = (state, true);
            try
            {
                table = 0;
                if (FindShared(neutral))
                {
                    lua_createtable(L, _shared!.Count, 0);   // where containers met twice are kept while the copy is made
                    table = lua_gettop(L);
                }
                Write(neutral, 0);
                if (table != 0)
                {
                    lua_rotate(L, table, -1);
                    Pop(L, 1);
                }
            }
            finally
            {
                bool grown = _seen.Count > KeptContainers;
                _seen.Clear();
                if (grown) _seen.TrimExcess();
                _pending.Clear();
                _shared?.Clear();
                _made?.Clear();
                (L, InUse) = (0, false);
            }
        }

        private static bool IsContainer(object? value) => value is PayloadList or PayloadMap or ProcessError { Details: not null };

        /// <summary>Finds the containers reached more than once from <paramref name="root"/> (shared or cyclic); false if none is.</summary>
        private bool FindShared(object? root)
        {
            switch (root)
            {
                case PayloadMap flat when !HasContainer(flat):
                case PayloadList flatList when !HasContainer(flatList):
                    return false;
                case PayloadList or PayloadMap or ProcessError:
                    break;
                default:
                    return false;
            }
            _pending.Push(root);
            while (_pending.TryPop(out var value))
            {
                switch (value)
                {
                    case PayloadList list:
                        if (!_seen.Add(list)) (_shared ??= new(ReferenceEqualityComparer.Instance)).Add(list);
                        else foreach (var item in list) _pending.Push(item);
                        break;
                    case PayloadMap map:
                        if (!_seen.Add(map)) (_shared ??= new(ReferenceEqualityComparer.Instance)).Add(map);
                        else foreach (var (_, item) in map.Entries) _pending.Push(item);
                        break;
                    case ProcessError { Details: { } details }:
                        _pending.Push(details);
                        break;
                }
            }
            return _shared is { Count: > 0 };
        }

        private static bool HasContainer(PayloadMap map)
        {
            var entries = map.Entries;
            for (int i = 0; i < entries.Count; i++) if (IsContainer(entries[i].Value)) return true;
            return false;
        }

        private static bool HasContainer(PayloadList list)
        {
            for (int i = 0; i < list.Count; i++) if (IsContainer(list[i])) return true;
            return false;
        }

        public void Write(object? value, int depth)
        {
            if (depth >= MaxDepth) throw new WispException(ErrorKind.Invalid, $"payload nested deeper than {MaxDepth} levels");
            if (lua_checkstack(L, 6) == 0) throw new WispException(ErrorKind.LimitExceeded, "payload too deep for the Lua stack");
            switch (value)
            {
                case null:
                    lua_pushnil(L);
                    break;
                case bool b:
                    lua_pushboolean(L, b ? 1 : 0);
                    break;
                case long l:
                    lua_pushinteger(L, l);
                    break;
                case double d:
                    lua_pushnumber(L, d);
                    break;
                case string s:
                    shard.Texts.Push(L, s);
                    break;
                case byte[] bytes:
                    PushBytes(L, bytes);
                    break;
                case Pid pid:
                    shard.Texts.Push(L, pid);
                    break;
                case ProcessError error:
                    ErrorValues.Push(shard, L, error, details => Write(details, depth + 1));
                    break;
                case EncodedPayload encoded:
                    PayloadPrimitives.PushDecoded(shard, L, encoded.Format, encoded.Data);
                    break;
                case PayloadList list:
                    if (Reuse(list)) break;
                    lua_createtable(L, list.Count, 0);
                    Remember(list);
                    for (int i = 0; i < list.Count; i++)
                    {
                        Write(list[i], depth + 1);
                        lua_rawseti(L, -2, i + 1);
                    }
                    break;
                case PayloadMap map:
                    if (Reuse(map)) break;
                    lua_createtable(L, 0, map.Entries.Count);
                    Remember(map);
                    var entries = map.Entries;
                    for (int i = 0; i < entries.Count; i++)
                    {
                        var (key, item) = entries[i];
                        if (item is null || key is double.NaN) continue;   // neither is an entry of a Lua table
                        Write(key, depth + 1);
                        Write(item, depth + 1);
                        lua_rawset(L, -3);
                    }
                    break;
                default:
                    Write(PayloadCodec.ToNeutral(value), depth);
                    break;
            }
        }

        /// <summary>A shared container met before is pushed again, not copied again.</summary>
        private bool Reuse(object container)
        {
            if (_made is null || !_made.TryGetValue(container, out int slot)) return false;
            lua_rawgeti(L, table, slot);
            return true;
        }

        private void Remember(object container)
        {
            if (shared is null || !shared.Contains(container)) return;
            _made ??= new(ReferenceEqualityComparer.Instance);
            int slot = _made.Count + 1;
            lua_pushvalue(L, -1);
            lua_rawseti(L, table, slot);
            _made[container] = slot;
        }
    }
}
