using System.Text.RegularExpressions;
using static Wisp.Lua.Native.LuaApi;

namespace Wisp.Lua;

/// <summary>
/// The primitives under the typed dialect's run-time types (Prelude/types.lua): a new type value, which Lua code
/// cannot make, and the regular expressions of <c>@pattern</c>.
/// </summary>
internal static unsafe class TypePrimitives
{
    public static void Register(Primitives.Registrar p)
    {
        p.Add("type_handle", &Handle);
        p.Add("type_match", &Match);
    }

    /// <summary>type_handle(metatable) → a new userdata with it: the value a type node is known by.</summary>
    private static int Handle(LuaCall call)
    {
        *(UserdataTag*)lua_newuserdatauv(call.L, (nuint)sizeof(UserdataTag), 0) = UserdataTag.Type;
        lua_pushvalue(call.L, 1);
        lua_setmetatable(call.L, -2);
        return 1;
    }

    /// <summary>
    /// type_match(pattern, text) → whether the regular expression finds a match in the text, or nil when it does
    /// not compile. The reference's are Go's (RE2), which never backtrack: so are these.
    /// </summary>
    private static int Match(LuaCall call)
    {
        var pattern = call.Text(1) ?? "";
        var patterns = call.Shard.Patterns;
        if (!patterns.TryGetValue(pattern, out var regex))
        {
            try
            {
                regex = new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException)
            {
                regex = null;
            }
            patterns[pattern] = regex;
        }
        if (regex is null) lua_pushnil(call.L);
        else lua_pushboolean(call.L, regex.IsMatch(call.Text(2) ?? "") ? 1 : 0);
        return 1;
    }
}
