using Wisp.Hosting;
using static Wisp.Lua.Native.LuaApi;

namespace Wisp.Lua;

/// <summary>
/// The <c>funcs</c> module's primitives: an entry called as a function runs as a process of its own (see
/// <see cref="Functions"/>); the caller waits for its result (call), the value its main returned or nil and the
/// error, or holds a future of it (async), whose channel gives it once.
/// </summary>
internal static unsafe class FuncsPrimitives
{
    public static void Register(Primitives.Registrar p)
    {
        p.Add("funcs_call", &Call);
        p.Add("funcs_async", &Async);
        p.Add("future_state", &State);
        p.Add("future_result", &Result);
        p.Add("future_error", &Error);
        p.Add("future_cancel", &Cancel);
    }

    /// <summary>funcs_call(target, ...): the function's result (value, nil) or (nil, error), once it has ended.</summary>
    private static int Call(LuaCall call)
    {
        if (call.Type(1) != TString) return call.ArgError(1, "call", "string");
        try
        {
            var (_, result) = Start(call);
            return call.Process.Suspend(call.L, new PendingCall(call.Shard, result));
        }
        catch (WispException e)
        {
            return call.Fail(e);
        }
    }

    /// <summary>funcs_async(target, ...): the future's channel, or nil and the error when the call cannot start.</summary>
    private static int Async(LuaCall call)
    {
        if (call.Type(1) != TString) return call.ArgError(1, "async", "string");
        try
        {
            var (function, result) = Start(call);
            var process = call.Process;
            ChannelPrimitives.Push(call, LuaChannel.OfFuture(LuaFuture.Start(process.Context!, function, result), process));
            return 1;
        }
        catch (WispException e)
        {
            return call.Fail(e);
        }
    }

    private static (Pid Function, Task<ExitResult> Result) Start(LuaCall call)
    {
        var process = call.Process;
        var context = process.Context!;
        var functions = context.Feature<Functions>()
            ?? throw new WispException(ErrorKind.Unavailable, "funcs is not available on this host");
        var args = new object?[call.Count - 1];
        for (int i = 2; i <= call.Count; i++) args[i - 2] = LuaValues.ToNeutral(call.Shard, call.L, i, process.MaxPayloadBytes);
        return functions.Start(call.Text(1)!, context.HostId, args);
    }

    private static LuaFuture? FutureAt(LuaCall call, string function, out string why)
    {
        var channel = ChannelPrimitives.At(call, 1, function, out why);
        if (channel is { Future: { } future }) return future;
        if (channel is not null) why = $"bad argument #1 to '{function}' (Future expected, got channel)";
        return null;
    }

    /// <summary>future_state(ch): complete, canceled.</summary>
    private static int State(LuaCall call)
    {
        if (FutureAt(call, "is_complete", out var why) is not { } future) return call.Raise(why);
        lua_pushboolean(call.L, future.Outcome is not null ? 1 : 0);
        lua_pushboolean(call.L, future.Canceled ? 1 : 0);
        return 2;
    }

    /// <summary>future_result(ch): (Payload, nil) once done, (nil, err) on error or after cancel, (nil, nil) while pending.</summary>
    private static int Result(LuaCall call)
    {
        if (FutureAt(call, "result", out var why) is not { } future) return call.Raise(why);
        if (future.Canceled)
        {
            lua_pushnil(call.L);
            LuaFuture.PushOutcome(call.Shard, call.L, ExitResult.Failure(new ProcessError("canceled", ErrorKind.Canceled, Retryable: false)));
            return 2;
        }
        if (future.Outcome is not { } outcome)
        {
            lua_pushnil(call.L);
            lua_pushnil(call.L);
            return 2;
        }
        if (outcome.Error is not null)
        {
            lua_pushnil(call.L);
            LuaFuture.PushOutcome(call.Shard, call.L, outcome);
            return 2;
        }
        LuaFuture.PushOutcome(call.Shard, call.L, outcome);
        lua_pushnil(call.L);
        return 2;
    }

    /// <summary>future_error(ch): (err, true) if the call failed, else (nil, false).</summary>
    private static int Error(LuaCall call)
    {
        if (FutureAt(call, "error", out var why) is not { } future) return call.Raise(why);
        if (future.Outcome is { Error: not null } failed)
        {
            LuaFuture.PushOutcome(call.Shard, call.L, failed);
            lua_pushboolean(call.L, 1);
            return 2;
        }
        lua_pushnil(call.L);
        lua_pushboolean(call.L, 0);
        return 2;
    }

    /// <summary>
    /// future_cancel(ch): marks the future canceled and stops the function if it still runs (a CANCEL it can hear,
    /// else terminate); true.
    /// </summary>
    private static int Cancel(LuaCall call)
    {
        if (FutureAt(call, "cancel", out var why) is not { } future) return call.Raise(why);
        future.Canceled = true;
        if (future.Outcome is null)
        {
            var node = call.Process.Context!.Node;
            try
            {
                if (node.HearsCancel(future.Function)) node.Cancel(future.Function, "canceled", call.Process.Context!.Pid);
                else node.Terminate(future.Function);
            }
            catch (WispException e) when (e.Kind == ErrorKind.NotFound)
            {
                // it ended meanwhile: its result is on its way
            }
        }
        return call.True();
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
