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
        p.Add("funcs_call_with", &CallWith);
        p.Add("funcs_async_with", &AsyncWith);
        p.Add("ctx_get", &ContextGet);
        p.Add("ctx_all", &ContextAll);
        p.Add("future_state", &State);
        p.Add("future_result", &Result);
        p.Add("future_error", &Error);
        p.Add("future_cancel", &Cancel);
    }

    /// <summary>funcs_call(target, ...): the function's result (value, nil) or (nil, error), once it has ended.</summary>
    private static int Call(LuaCall call) => CallFrom(call, first: 1, values: null, timeout: null);

    /// <summary>funcs_async(target, ...): the future's channel, or nil and the error when the call cannot start.</summary>
    private static int Async(LuaCall call) => AsyncFrom(call, first: 1, values: null);

    /// <summary>funcs_call_with(context, timeout_ms, target, ...): an executor's call (its context values, its timeout).</summary>
    private static int CallWith(LuaCall call)
    {
        if (ExecutorContext(call) is not { } values) return call.Fail("context must be a table", ErrorKind.Invalid);
        long? timeout = IsNoneOrNil(call.L, 2) ? null : ToInteger(call.L, 2);
        return CallFrom(call, first: 3, values, timeout);
    }

    private static int AsyncWith(LuaCall call)
    {
        if (ExecutorContext(call) is not { } values) return call.Fail("context must be a table", ErrorKind.Invalid);
        return AsyncFrom(call, first: 3, values);
    }

    private static int CallFrom(LuaCall call, int first, IReadOnlyDictionary<string, object?>? values, long? timeout)
    {
        if (call.Type(first) != TString) return call.ArgError(first, "call", "string");
        try
        {
            var (function, result) = Start(call, first, values);
            if (timeout is > 0) result = PendingCall.WithTimeout(call.Process.Context!, function, result, TimeSpan.FromMilliseconds(timeout.Value));
            return call.Process.Suspend(call.L, new PendingCall(call.Shard, result));
        }
        catch (WispException e)
        {
            return call.Fail(e);
        }
    }

    private static int AsyncFrom(LuaCall call, int first, IReadOnlyDictionary<string, object?>? values)
    {
        if (call.Type(first) != TString) return call.ArgError(first, "async", "string");
        try
        {
            var (function, result) = Start(call, first, values);
            var process = call.Process;
            ChannelPrimitives.Push(call, LuaChannel.OfFuture(LuaFuture.Start(process.Context!, function, result), process));
            return 1;
        }
        catch (WispException e)
        {
            return call.Fail(e);
        }
    }

    /// <summary>The caller's context with the executor's values (argument 1) over it; null if argument 1 is not a table.</summary>
    private static IReadOnlyDictionary<string, object?>? ExecutorContext(LuaCall call)
    {
        if (call.Type(1) != TTable) return null;
        if (LuaValues.ToNeutral(call.Shard, call.L, 1, call.Process.MaxPayloadBytes) is not PayloadMap added) return null;
        var merged = new Dictionary<string, object?>(call.Process.Context.Values, StringComparer.Ordinal);
        foreach (var (key, value) in added.Entries) merged[key.ToString()!] = value;
        return merged.AsReadOnly();
    }

    private static (Pid Function, Task<ExitResult> Result) Start(LuaCall call, int first, IReadOnlyDictionary<string, object?>? values)
    {
        var process = call.Process;
        var context = process.Context!;
        var functions = context.Feature<Functions>()
            ?? throw new WispException(ErrorKind.Unavailable, "funcs is not available on this host");
        var args = new object?[Math.Max(0, call.Count - first)];
        for (int i = first + 1; i <= call.Count; i++) args[i - first - 1] = LuaValues.ToNeutral(call.Shard, call.L, i, process.MaxPayloadBytes);
        // A call passes the caller's request context on, with an executor's values over it.
        return functions.Start(call.Text(first)!, context.HostId, args, values ?? (context.Values.Count > 0 ? context.Values : null));
    }

    /// <summary>ctx_get(key): the request context's value, or nil and the error.</summary>
    private static int ContextGet(LuaCall call)
    {
        if (call.Type(1) != TString || call.Text(1) is not { Length: > 0 } key) return call.Fail("key is required", ErrorKind.Invalid);
        if (!call.Process.Context.Values.TryGetValue(key, out var value)) return call.Fail($"context key not found: {key}", ErrorKind.NotFound);
        LuaValues.Push(call.Shard, call.L, value);
        return 1;
    }

    /// <summary>ctx_all(): the request context's values (an empty table when there are none).</summary>
    private static int ContextAll(LuaCall call)
    {
        var map = new PayloadMap();
        foreach (var (key, value) in call.Process.Context.Values) map.Add(key, value);
        LuaValues.Push(call.Shard, call.L, map);
        return 1;
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
            // false if it ended meanwhile: its result is on its way
            var node = call.Process.Context.Node;
            _ = node.HearsCancel(future.Function)
                ? node.TryCancel(future.Function, "canceled", call.Process.Context.Pid)
                : node.TryTerminate(future.Function);
        }
        return call.True();
    }
}

/// <summary>A call of a function: its value and nil, or nil and its error, once it has ended.</summary>
internal sealed class PendingCall(LuaShard shard, Task<ExitResult> result) : PendingOperation
{
    /// <summary>The call's result, or a Timeout error (and the function terminated) if it takes longer than <paramref name="limit"/>.</summary>
    public static async Task<ExitResult> WithTimeout(ProcessContext caller, Pid function, Task<ExitResult> result, TimeSpan limit)
    {
        if (await Task.WhenAny(result, Task.Delay(limit)) == result) return await result;
        caller.Node.TryTerminate(function);   // false if it ended meanwhile
        return ExitResult.Failure(new ProcessError($"function call timed out after {limit.TotalMilliseconds:0} ms", ErrorKind.Timeout, Retryable: true));
    }

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
