using System.Runtime.InteropServices;
using System.Text;

namespace Wisp.Lua.Native;

/// <summary>
/// The Lua 5.4 C API that Wisp uses, imported from the native library KeraLua ships (<c>lua54</c>).
/// Rules for every caller (see docs/lua.md): a function here that can raise a Lua error (anything that may run a
/// metamethod or allocate) is only called inside a protected call or a resume, or while the allocator may not
/// fail; C# never calls <c>lua_error</c> and yields only from the count hook; a state is touched by one thread
/// at a time. Raw accessors (<c>lua_rawget</c>...) are used throughout because they run no metamethods.
/// The imports marked SuppressGCTransition never allocate (so never call the C# allocator), never run Lua code and
/// return at once: they may skip the runtime's transition, which other calls need since Lua may call back into C#.
/// </summary>
internal static unsafe partial class LuaApi
{
    private const string Library = "lua54";

    static LuaApi() => NativeLua.Install();   // before the first import binds: Wisp's build of Lua, if it is there

    public const int Ok = 0, Yield = 1, ErrRun = 2, ErrSyntax = 3, ErrMem = 4, ErrErr = 5;
    public const int RegistryIndex = -1000000 - 1000;
    public const int RidxMainThread = 1, RidxGlobals = 2;
    public const int TNone = -1, TNil = 0, TBoolean = 1, TLightUserdata = 2, TNumber = 3, TString = 4, TTable = 5,
        TFunction = 6, TUserdata = 7, TThread = 8;
    public const int MaskCount = 1 << 3;
    public const int GcCollect = 2, GcCount = 3, GcCountB = 4, GcStep = 5, GcGen = 10, GcInc = 11;
    /// <summary>The size of the space before each lua_State that the library leaves to its host (luaconf.h LUA_EXTRASPACE).</summary>
    public static readonly int ExtraSpace = sizeof(nint);

    [LibraryImport(Library)] public static partial nint lua_newstate(delegate* unmanaged<nint, nint, nuint, nuint, nint> allocator, nint ud);
    [LibraryImport(Library)] public static partial nint luaL_newstate();
    [LibraryImport(Library)] public static partial void lua_close(nint L);
    [LibraryImport(Library)] public static partial nint lua_newthread(nint L);
    [LibraryImport(Library)] public static partial int lua_closethread(nint L, nint from);
    [LibraryImport(Library)] public static partial int lua_resume(nint L, nint from, int nargs, out int nresults);
    [LibraryImport(Library), SuppressGCTransition] public static partial int lua_status(nint L);
    [LibraryImport(Library), SuppressGCTransition] public static partial int lua_isyieldable(nint L);
    [LibraryImport(Library)] public static partial int lua_yieldk(nint L, int nresults, nint ctx, nint k);
    [LibraryImport(Library)] public static partial int lua_pcallk(nint L, int nargs, int nresults, int errfunc, nint ctx, nint k);
    [LibraryImport(Library)] public static partial int lua_load(nint L, delegate* unmanaged<nint, nint, nuint*, byte*> reader, nint data, byte* chunkname, byte* mode);
    [LibraryImport(Library)] public static partial int luaL_loadbufferx(nint L, byte* buffer, nuint size, byte* name, byte* mode);
    [LibraryImport(Library)] public static partial int lua_dump(nint L, delegate* unmanaged<nint, byte*, nuint, nint, int> writer, nint data, int strip);
    [LibraryImport(Library)] public static partial void lua_sethook(nint L, delegate* unmanaged<nint, nint, void> hook, int mask, int count);
    [LibraryImport(Library)] public static partial int lua_gc(nint L, int what, int a, int b, int c);

    [LibraryImport(Library), SuppressGCTransition] public static partial int lua_gettop(nint L);
    [LibraryImport(Library)] public static partial void lua_settop(nint L, int index);
    [LibraryImport(Library), SuppressGCTransition] public static partial int lua_absindex(nint L, int index);
    [LibraryImport(Library), SuppressGCTransition] public static partial void lua_pushvalue(nint L, int index);
    [LibraryImport(Library), SuppressGCTransition] public static partial void lua_rotate(nint L, int index, int n);
    [LibraryImport(Library), SuppressGCTransition] public static partial void lua_copy(nint L, int from, int to);
    [LibraryImport(Library)] public static partial int lua_checkstack(nint L, int n);
    [LibraryImport(Library)] public static partial void lua_xmove(nint from, nint to, int n);

    [LibraryImport(Library), SuppressGCTransition] public static partial int lua_type(nint L, int index);
    [LibraryImport(Library), SuppressGCTransition] public static partial int lua_isinteger(nint L, int index);
    [LibraryImport(Library), SuppressGCTransition] public static partial double lua_tonumberx(nint L, int index, int* isnum);
    [LibraryImport(Library), SuppressGCTransition] public static partial long lua_tointegerx(nint L, int index, int* isnum);
    [LibraryImport(Library), SuppressGCTransition] public static partial int lua_toboolean(nint L, int index);
    [LibraryImport(Library)] public static partial byte* lua_tolstring(nint L, int index, nuint* length);
    [LibraryImport(Library), SuppressGCTransition] public static partial nint lua_touserdata(nint L, int index);
    [LibraryImport(Library), SuppressGCTransition] public static partial nint lua_tothread(nint L, int index);
    [LibraryImport(Library), SuppressGCTransition] public static partial nint lua_topointer(nint L, int index);
    [LibraryImport(Library), SuppressGCTransition] public static partial ulong lua_rawlen(nint L, int index);
    [LibraryImport(Library), SuppressGCTransition] public static partial int lua_rawequal(nint L, int index1, int index2);

    [LibraryImport(Library), SuppressGCTransition] public static partial void lua_pushnil(nint L);
    [LibraryImport(Library), SuppressGCTransition] public static partial void lua_pushnumber(nint L, double n);
    [LibraryImport(Library), SuppressGCTransition] public static partial void lua_pushinteger(nint L, long n);
    [LibraryImport(Library)] public static partial byte* lua_pushlstring(nint L, byte* s, nuint length);
    [LibraryImport(Library), SuppressGCTransition] public static partial void lua_pushboolean(nint L, int b);
    [LibraryImport(Library), SuppressGCTransition] public static partial void lua_pushlightuserdata(nint L, nint p);
    [LibraryImport(Library)] public static partial void lua_pushcclosure(nint L, delegate* unmanaged<nint, int> fn, int n);
    [LibraryImport(Library)] public static partial int lua_pushthread(nint L);

    [LibraryImport(Library)] public static partial void lua_createtable(nint L, int narr, int nrec);
    [LibraryImport(Library)] public static partial nint lua_newuserdatauv(nint L, nuint size, int nuvalue);
    [LibraryImport(Library), SuppressGCTransition] public static partial int lua_getiuservalue(nint L, int index, int n);
    [LibraryImport(Library)] public static partial int lua_setiuservalue(nint L, int index, int n);
    [LibraryImport(Library)] public static partial int lua_rawget(nint L, int index);
    [LibraryImport(Library), SuppressGCTransition] public static partial int lua_rawgeti(nint L, int index, long n);
    [LibraryImport(Library)] public static partial void lua_rawset(nint L, int index);
    [LibraryImport(Library)] public static partial void lua_rawseti(nint L, int index, long n);
    [LibraryImport(Library)] public static partial int lua_getmetatable(nint L, int index);
    [LibraryImport(Library)] public static partial int lua_setmetatable(nint L, int index);
    [LibraryImport(Library)] public static partial int lua_next(nint L, int index);

    [LibraryImport(Library)] public static partial int luaL_ref(nint L, int table);
    [LibraryImport(Library)] public static partial void luaL_unref(nint L, int table, int reference);
    [LibraryImport(Library)] public static partial void luaL_traceback(nint L, nint L1, byte* message, int level);
    [LibraryImport(Library)] public static partial void luaL_requiref(nint L, byte* name, delegate* unmanaged<nint, int> open, int global);

    [LibraryImport(Library)] public static partial void luaL_openlibs(nint L);
    [LibraryImport(Library)] public static partial int luaopen_base(nint L);
    [LibraryImport(Library)] public static partial int luaopen_coroutine(nint L);
    [LibraryImport(Library)] public static partial int luaopen_table(nint L);
    [LibraryImport(Library)] public static partial int luaopen_string(nint L);
    [LibraryImport(Library)] public static partial int luaopen_math(nint L);
    [LibraryImport(Library)] public static partial int luaopen_os(nint L);

    // ---- helpers (the C macros and a few conveniences) ----

    public static void Pop(nint L, int n) => lua_settop(L, -n - 1);
    public static int UpvalueIndex(int i) => RegistryIndex - i;
    public static bool IsNoneOrNil(nint L, int index) => lua_type(L, index) <= TNil;
    public static nint* ExtraSpaceOf(nint L) => (nint*)(L - ExtraSpace);

    public static void PushString(nint L, string text)
    {
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (max <= 512)
        {
            byte* buffer = stackalloc byte[max];
            int n = Encoding.UTF8.GetBytes(text, new Span<byte>(buffer, max));
            lua_pushlstring(L, buffer, (nuint)n);
            return;
        }
        var bytes = Encoding.UTF8.GetBytes(text);
        fixed (byte* p = bytes) lua_pushlstring(L, p, (nuint)bytes.Length);
    }

    public static void PushBytes(nint L, ReadOnlySpan<byte> bytes)
    {
        fixed (byte* p = bytes) lua_pushlstring(L, p, (nuint)bytes.Length);
    }

    /// <summary>The string at <paramref name="index"/> (a number is not converted: that would change the stack slot), or null.</summary>
    public static string? ToText(nint L, int index)
    {
        if (lua_type(L, index) != TString) return null;
        nuint length;
        byte* p = lua_tolstring(L, index, &length);
        return Encoding.UTF8.GetString(p, (int)length);
    }

    /// <summary>The bytes of the string at <paramref name="index"/> (valid while the string is on the stack).</summary>
    public static ReadOnlySpan<byte> ToBytes(nint L, int index)
    {
        nuint length;
        byte* p = lua_tolstring(L, index, &length);
        return p == null ? default : new ReadOnlySpan<byte>(p, (int)length);
    }

    public static long? ToInteger(nint L, int index)
    {
        int isnum;
        long value = lua_tointegerx(L, index, &isnum);
        return isnum != 0 ? value : null;
    }

    public static double? ToNumber(nint L, int index)
    {
        if (lua_type(L, index) != TNumber) return null;
        return lua_tonumberx(L, index, null);
    }

    public static string TypeName(int type) => type switch
    {
        TNil => "nil", TBoolean => "boolean", TLightUserdata => "userdata", TNumber => "number", TString => "string",
        TTable => "table", TFunction => "function", TUserdata => "userdata", TThread => "thread", _ => "no value",
    };

    public static int LoadBuffer(nint L, ReadOnlySpan<byte> chunk, string name, string mode)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name + "\0");
        var modeBytes = Encoding.ASCII.GetBytes(mode + "\0");
        fixed (byte* c = chunk)
        fixed (byte* n = nameBytes)
        fixed (byte* m = modeBytes)
            return luaL_loadbufferx(L, c, (nuint)chunk.Length, n, m);
    }
}
