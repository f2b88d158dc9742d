using Wisp.Hosting;
using static Wisp.Lua.Native.LuaApi;

namespace Wisp.Lua;

/// <summary>
/// The <c>funcs</c> module's primitives: an entry called as a function runs as a process of its own (see
/// <see cref="Functions"/>), and the caller waits for its result: the value its main returned, or nil and the error.
/// </summary>
internal static unsafe class FuncsPrimitives
{
    public static void Register(Primitives.Registrar p) => p.Add("funcs_call", &Call);

    /// <summary>funcs_call(target, ...): the function's result (value, nil) or (nil, error), once it has ended.</summary>
    private static int Call(LuaCall call)
    {
        if (call.Type(1) != TString) return call.ArgError(1, "call", "string");
        var process = call.Process;
        var context = process.Context!;
        var functions = context.Feature<Functions>();
        if (functions is null) return call.Fail("funcs is not available on this host", ErrorKind.Unavailable);
        try
        {
            var args = new object?[call.Count - 1];
            for (int i = 2; i <= call.Count; i++) args[i - 2] = LuaValues.ToNeutral(call.Shard, call.L, i, process.MaxPayloadBytes);
            var (_, result) = functions.Start(call.Text(1)!, context.HostId, args);
            return process.Suspend(call.L, new PendingCall(call.Shard, result));
        }
        catch (WispException e)
        {
            return call.Fail(e);
        }
    }
}

/// <summary>A call of a function: its value and nil, or nil and its error, once it has ended.</summary>
internal sealed class PendingCall(LuaShard shard, Task<ExitResult> result) : PendingOperation
{
    public override async ValueTask Wait() => await result;

    public override int PushResults(nint T)
    {
        var exit = result.Result;
        if (exit.Error is { } error)
        {
            lua_pushnil(T);
            ErrorValues.Push(shard, T, error, details => LuaValues.Push(shard, T, details));
            return 2;
        }
        int top = lua_gettop(T);
        try
        {
            LuaValues.Push(shard, T, exit.Value);
        }
        catch (WispException e)
        {
            lua_settop(T, top);
            lua_pushnil(T);
            ErrorValues.Push(shard, T, $"the function's result cannot be read: {e.Message}", e.Kind);
            return 2;
        }
        lua_pushnil(T);
        return 2;
    }
}
