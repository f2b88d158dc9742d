using System.Runtime.InteropServices;
using static Wisp.Lua.Native.LuaApi;

namespace Wisp.Lua;

/// <summary>
/// The C# functions the prelude calls (its table P). Each is a plain static method taking a <see cref="LuaCall"/>;
/// Lua calls them through one trampoline, <see cref="Dispatch"/>, whose upvalue is the method's address. The
/// trampoline is the boundary: the allocator may not fail while a primitive runs (a Lua error would jump over its
/// frames), and any exception is caught here and handed to the prelude to raise, never thrown into C.
/// </summary>
internal static unsafe class Primitives
{
    /// <summary>Pushes the table P of every primitive.</summary>
    public static void PushTable(nint L)
    {
        lua_createtable(L, 0, 96);
        var p = new Registrar(L);
        BasePrimitives.Register(p);
        ErrorPrimitives.Register(p);
        ProcessPrimitives.Register(p);
        ChannelPrimitives.Register(p);
        TimePrimitives.Register(p);
        IoPrimitives.Register(p);
        LoggerPrimitives.Register(p);
        FuncsPrimitives.Register(p);
        JsonPrimitives.Register(p);
        PayloadPrimitives.Register(p);
        EventsPrimitives.Register(p);
        RegistryPrimitives.Register(p);
        TypePrimitives.Register(p);
    }

    [UnmanagedCallersOnly]
    private static int Dispatch(nint L)
    {
        LuaShard shard;
        try
        {
            shard = LuaShard.Of(L);
        }
        catch
        {
            return 0;
        }
        var ledger = shard.Ledger;
        bool mayFail = ledger?.MayFail ?? false;
        if (ledger is not null) ledger.MayFail = false;
        try
        {
            var body = (delegate*<LuaCall, int>)lua_touserdata(L, UpvalueIndex(1));
            return body(new LuaCall(L, shard));
        }
        catch (Exception e)
        {
            LuaShard.PushRaise(L);
            PushString(L, e is WispException ? e.Message : $"internal error: {e.GetType().Name}: {e.Message}");
            return 2;
        }
        finally
        {
            if (ledger is not null) ledger.MayFail = mayFail;
        }
    }

    /// <summary>Adds primitives to the table on top of the stack.</summary>
    internal readonly ref struct Registrar(nint L)
    {
        public void Add(string name, delegate*<LuaCall, int> body)
        {
            PushString(L, name);
            lua_pushlightuserdata(L, (nint)body);
            lua_pushcclosure(L, &Dispatch, 1);
            lua_rawset(L, -3);
        }

        /// <summary>Adds a table of primitives (methods of a type) under <paramref name="name"/>; <paramref name="fill"/> adds them.</summary>
        public void Table(string name, delegate*<Registrar, void> fill)
        {
            PushString(L, name);
            lua_createtable(L, 0, 16);
            fill(this);
            lua_rawset(L, -3);
        }
    }
}

/// <summary>
/// One call of a primitive from Lua: its arguments on <see cref="L"/>'s stack (1..<see cref="Count"/>), the shard,
/// and the process whose code called (null in the validation state). Results are pushed and counted.
/// </summary>
internal readonly unsafe ref struct LuaCall(nint l, LuaShard shard)
{
    public nint L { get; } = l;
    public LuaShard Shard { get; } = shard;

    public int Count => lua_gettop(L);

    /// <summary>The calling process; a primitive that needs one is unusable outside a process (top-level code checked at spawn).</summary>
    public LuaProcess Process => HasProcess ? Shard.Current! : throw new WispException(ErrorKind.Internal, "no process context");

    public bool HasProcess => Shard.Current is { } process && process.Context != default;

    public int Type(int index) => lua_type(L, index);

    public string? Text(int index) => ToText(L, index);

    /// <summary>A string argument (a number is taken as its text, as luaL_checkstring does); null if it is neither.</summary>
    public string? TextOrNumber(int index) => lua_type(L, index) switch
    {
        TString => Shard.Texts.Text(L, index),
        TNumber => LuaShard.Describe(L, index),
        _ => null,
    };

    public int Raise(string message)
    {
        LuaShard.PushRaise(L);
        PushString(L, message);
        return 2;
    }

    /// <summary>The reference's argument error: "bad argument #n to 'f' (expected X, got Y)".</summary>
    public int ArgError(int index, string function, string expected) =>
        Raise($"bad argument #{index} to '{function}' ({expected} expected, got {TypeName(lua_type(L, index))})");

    /// <summary>Returns nil and an error object.</summary>
    public int Fail(string message, ErrorKind kind)
    {
        lua_pushnil(L);
        ErrorValues.Push(Shard, L, message, kind);
        return 2;
    }

    public int Fail(WispException e) => Fail(e.Message, e.Kind);

    /// <summary>Returns nil and the error object of <paramref name="error"/>, its details copied in.</summary>
    public int Fail(ProcessError error)
    {
        var (shard, state) = (Shard, L);
        lua_pushnil(state);
        ErrorValues.Push(shard, state, error, details => LuaValues.Push(shard, state, details));
        return 2;
    }

    /// <summary>Returns false and an error object (what a check or a send that did not happen gives).</summary>
    public int Refuse(string message, ErrorKind kind)
    {
        lua_pushboolean(L, 0);
        ErrorValues.Push(Shard, L, message, kind);
        return 2;
    }

    public int True()
    {
        lua_pushboolean(L, 1);
        return 1;
    }

    public int Wait()
    {
        LuaShard.PushWait(L);
        return 1;
    }
}
