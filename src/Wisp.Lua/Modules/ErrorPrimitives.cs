using static Wisp.Lua.Native.LuaApi;

namespace Wisp.Lua;

/// <summary>The primitives under the <c>errors</c> library: making an error object, and reading its fields.</summary>
internal static unsafe class ErrorPrimitives
{
    public static void Register(Primitives.Registrar p)
    {
        p.Add("error_new", &New);
        p.Add("error_fields", &Fields);
    }

    /// <summary>error_new(message, kind, retryable, details) → error object (the prelude checked the arguments).</summary>
    private static int New(LuaCall call)
    {
        lua_settop(call.L, 4);
        ErrorValues.PushNew(call.Shard, call.L, 1, 2, 3, 4);
        return 1;
    }

    /// <summary>error_fields(e) → its fields table, or nil when e is not an error object.</summary>
    private static int Fields(LuaCall call)
    {
        if (!ErrorValues.PushFields(call.L, 1)) lua_pushnil(call.L);
        return 1;
    }
}
