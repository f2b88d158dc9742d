using System.Runtime.InteropServices;
using static Wisp.Lua.Native.LuaApi;

namespace Wisp.Lua.Native;

/// <summary>
/// The count hook that preempts a busy process: every <see cref="LuaShard.PreemptEvery"/> instructions it yields
/// (from a hook, lua_yield returns normally: no jump crosses this frame), so the loop requeues the process behind
/// the others. Where Lua cannot yield (inside a C function such as table.sort's comparator) it lets the code run on.
/// </summary>
internal static unsafe class Preemption
{
    [UnmanagedCallersOnly]
    public static void Hook(nint L, nint debug)
    {
        try
        {
            if (lua_isyieldable(L) == 0) return;
            LuaShard.Of(L).Preempted = true;
            lua_yieldk(L, 0, 0, 0);
        }
        catch
        {
            // nothing may escape into Lua's C frames; a missed preemption only delays the next one
        }
    }
}
