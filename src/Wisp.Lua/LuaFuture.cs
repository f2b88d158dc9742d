using static Wisp.Lua.Native.LuaApi;

namespace Wisp.Lua;

/// <summary>
/// An asynchronous call (<c>funcs.async</c>) as its caller holds it: the function's PID, its channel (capacity 1,
/// owned by the caller, given the result once by a coroutine of the caller, and left open, so that a select over
/// several futures' channels fires once for each, as the reference's), the result once it has come, and whether
/// the caller canceled it. Touched only on the caller's loop.
/// </summary>
internal sealed class LuaFuture
{
    private LuaFuture(Pid function, Channel<ExitResult> channel)
    {
        Function = function;
        Channel = channel;
    }

    public Pid Function { get; }
    public Channel<ExitResult> Channel { get; }
    public ExitResult? Outcome { get; private set; }
    public bool Canceled { get; set; }

    /// <summary>Starts waiting for <paramref name="result"/> in a coroutine of <paramref name="caller"/>.</summary>
    public static LuaFuture Start(ProcessContext caller, Pid function, Task<ExitResult> result)
    {
        var future = new LuaFuture(function, caller.NewChannel<ExitResult>(1));
        caller.Go(async () =>
        {
            var outcome = await result;
            future.Outcome = outcome;
            future.Channel.TrySend(outcome);
        });
        return future;
    }

    /// <summary>A result as the future's channel gives it: a Payload object, or the error.</summary>
    public static void PushOutcome(LuaShard shard, nint T, ExitResult outcome)
    {
        if (outcome.Error is { } error) ErrorValues.Push(shard, T, error, details => LuaValues.Push(shard, T, details));
        else LuaMessages.PushPayload(shard, T, outcome.Value);
    }
}
