using System.Runtime.InteropServices;
using Wisp.Lua.Native;
using static Wisp.Lua.Native.LuaApi;

namespace Wisp.Lua;

/// <summary>What a Wisp userdata is: the first four bytes of every userdata Wisp makes (Lua code cannot make any).</summary>
internal enum UserdataTag
{
    Channel = 0x57490001,
    Timer = 0x57490002,
    Ticker = 0x57490003,
    Time = 0x57490004,
    Duration = 0x57490005,
    Location = 0x57490006,
    Error = 0x57490007,
    Type = 0x57490008,
}

/// <summary>A userdata that stands for a C# object: its tag and its index in the shard's <see cref="LuaHandles"/>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct HandleUserdata
{
    public UserdataTag Tag;
    public int Handle;
}

/// <summary>A time value: nanoseconds since the Unix epoch and the location it is shown in.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TimeUserdata
{
    public UserdataTag Tag;
    public int Location;   // a handle to a TimeZoneInfo, 0 for UTC
    public long UnixNanos;
}

/// <summary>A duration in nanoseconds (or a location, whose value is a handle).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ValueUserdata
{
    public UserdataTag Tag;
    public int Handle;
    public long Value;
}

internal static unsafe class Userdata
{
    /// <summary>The tag of the userdata at <paramref name="index"/>, or 0 when it is not a full userdata of Wisp's.</summary>
    public static UserdataTag TagOf(nint L, int index) =>
        lua_type(L, index) == TUserdata && lua_touserdata(L, index) is var p && p != 0 ? *(UserdataTag*)p : 0;

    public static T* As<T>(nint L, int index, UserdataTag tag) where T : unmanaged =>
        TagOf(L, index) == tag ? (T*)lua_touserdata(L, index) : null;

    /// <summary>Pushes a new userdata of <typeparamref name="T"/> with the metatable held in the registry at <paramref name="metatable"/>.</summary>
    public static T* Push<T>(nint L, int metatable, int userValues = 0) where T : unmanaged
    {
        var p = (T*)lua_newuserdatauv(L, (nuint)sizeof(T), userValues);
        lua_rawgeti(L, RegistryIndex, metatable);
        lua_setmetatable(L, -2);
        return p;
    }
}
