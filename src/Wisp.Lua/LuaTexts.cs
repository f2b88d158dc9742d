using System.Runtime.CompilerServices;
using System.Text;
using static Wisp.Lua.Native.LuaApi;

namespace Wisp.Lua;

/// <summary>
/// The short strings that cross between Lua and C# on every message (topics, registered names, PIDs), kept per
/// shard so that each crossing neither decodes, encodes, formats nor parses them again: Lua bytes → the .NET
/// string (and the PID it parses as), a .NET string → its UTF-8 bytes, a PID → its text's bytes. Each table is a
/// small direct-mapped cache whose entries are checked in full on every hit (bytes compared, references or PIDs
/// equal), so a collision only costs a miss. Used by the shard's thread only.
/// </summary>
internal sealed unsafe class LuaTexts
{
    private const int Slots = 256;
    private const int MaxCached = 64;

    private readonly (byte[] Bytes, string Text, Pid? Pid)[] _fromLua = new (byte[], string, Pid?)[Slots];
    private readonly (string Text, byte[] Bytes)[] _toLua = new (string, byte[])[Slots];
    private readonly (Pid Pid, byte[] Bytes)[] _pids = new (Pid, byte[])[Slots];

    /// <summary>The .NET string of the Lua string at <paramref name="index"/> (the caller checked it is one).</summary>
    public string Text(nint L, int index)
    {
        var bytes = ToBytes(L, index);
        if (bytes.Length > MaxCached) return Encoding.UTF8.GetString(bytes);
        ref var entry = ref _fromLua[Slot(bytes)];
        if (entry.Bytes is { } known && bytes.SequenceEqual(known)) return entry.Text;
        var text = Encoding.UTF8.GetString(bytes);
        entry = (bytes.ToArray(), text, null);
        return text;
    }

    /// <summary>The PID the Lua string at <paramref name="index"/> spells, if it spells one (parsed once per string).</summary>
    public bool TryPid(nint L, int index, out Pid pid)
    {
        var bytes = ToBytes(L, index);
        if (bytes.Length > MaxCached || bytes.Length == 0 || bytes[0] != (byte)'{')
        {
            pid = default;
            return bytes.Length > 0 && bytes[0] == (byte)'{' && Pid.TryParse(Encoding.UTF8.GetString(bytes), out pid);
        }
        ref var entry = ref _fromLua[Slot(bytes)];
        if (entry.Bytes is not { } known || !bytes.SequenceEqual(known))
            entry = (bytes.ToArray(), Encoding.UTF8.GetString(bytes), null);
        if (entry.Pid is not { } parsed)
        {
            if (!Pid.TryParse(entry.Text, out parsed))
            {
                pid = default;
                return false;
            }
            entry.Pid = parsed;
        }
        pid = parsed;
        return true;
    }

    /// <summary>Pushes a .NET string; one met before (by reference: a topic that came from Lua) is not encoded again.</summary>
    public void Push(nint L, string text)
    {
        if (text.Length > MaxCached)
        {
            PushString(L, text);
            return;
        }
        ref var entry = ref _toLua[(RuntimeHelpers.GetHashCode(text) & int.MaxValue) % Slots];
        if (!ReferenceEquals(entry.Text, text)) entry = (text, Encoding.UTF8.GetBytes(text));
        PushBytes(L, entry.Bytes);
    }

    /// <summary>Sets <c>t[key] = value</c>, both texts, on the table at the top of the stack.</summary>
    public void SetField(nint L, string key, string value)
    {
        Push(L, key);
        Push(L, value);
        lua_rawset(L, -3);
    }

    /// <summary>Pushes a PID's text, formatted once per PID (in UTF-8, without a string).</summary>
    public void Push(nint L, Pid pid)
    {
        ref var entry = ref _pids[(int)(pid.Id % Slots)];
        if (entry.Bytes is null || entry.Pid != pid)
        {
            Span<byte> text = stackalloc byte[256];
            if (!pid.TryFormat(text, out int length, default, null))
            {
                PushString(L, pid.ToString());   // a host name too long to cache
                return;
            }
            entry = (pid, text[..length].ToArray());
        }
        PushBytes(L, entry.Bytes);
    }

    private static int Slot(ReadOnlySpan<byte> bytes)
    {
        uint hash = 2166136261;
        foreach (byte b in bytes) hash = (hash ^ b) * 16777619;
        return (int)(hash % Slots);
    }
}
