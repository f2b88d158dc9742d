using static Wisp.Lua.Native.LuaApi;

namespace Wisp.Lua;

/// <summary>
/// Channels from Lua: <c>channel.new</c>, a channel's send, receive and close, and <c>channel.select</c>, all on
/// the core's channels and select (a receive is a select of one case, a send too), so their rules are the core's:
/// first ready case in declared order, mailbox arrival order among mailbox-fed channels, nothing lost or
/// duplicated. A send on a closed channel raises "send on closed channel"; a sender blocked when the channel
/// closes gets <c>nil, err</c> (the reference's).
/// </summary>
internal static unsafe class ChannelPrimitives
{
    public static void Register(Primitives.Registrar p)
    {
        p.Add("ch_new", &New);
        p.Add("ch_send", &Send);
        p.Add("ch_recv", &Receive);
        p.Add("ch_close", &Close);
        p.Add("select", &Select);
    }

    public static void Push(LuaCall call, LuaChannel channel)
    {
        var userdata = Userdata.Push<HandleUserdata>(call.L, call.Shard.ChannelMt);
        userdata->Tag = UserdataTag.Channel;
        userdata->Handle = call.Shard.Handles.Add(channel);
    }

    /// <summary>The channel at <paramref name="index"/> if it is one of the calling process's; else null and <paramref name="why"/> says why.</summary>
    public static LuaChannel? At(LuaCall call, int index, string function, out string why)
    {
        why = "";
        if (Userdata.TagOf(call.L, index) != UserdataTag.Channel)
        {
            why = $"bad argument #{index} to '{function}' (channel expected, got {TypeName(call.Type(index))})";
            return null;
        }
        var channel = call.Shard.Handles.Get(((HandleUserdata*)lua_touserdata(call.L, index))->Handle) as LuaChannel;
        if (channel is null || channel.Owner != call.Shard.Current)
        {
            why = "the channel belongs to another process: channels are process-local";
            return null;
        }
        return channel;
    }

    /// <summary>channel.new(size?): unbuffered by default; a negative size is 0, a fraction is truncated (the reference's).</summary>
    private static int New(LuaCall call)
    {
        long size = 0;
        if (!IsNoneOrNil(call.L, 1))
        {
            if (ToNumber(call.L, 1) is not { } number) return call.ArgError(1, "new", "number");
            size = (long)Math.Max(0, Math.Min(number, int.MaxValue));
        }
        var process = call.Process;
        Push(call, LuaChannel.OfValues(process.Context.NewChannel<long>((int)size), process));
        return 1;
    }

    private static int Send(LuaCall call)
    {
        if (At(call, 1, "send", out var why) is not { } channel) return call.Raise(why);
        if (channel.Kind != ChannelKind.Lua) return call.Raise(channel.ReceiveOnly("send on"));
        var process = channel.Owner;
        lua_settop(call.L, 2);
        long key = process.PutInflight(call.L, 2);
        var pending = process.RentSelect(SelectForm.Send);
        pending.AddCase(1, channel, key);
        ValueTask<SelectResult> task;
        try
        {
            task = process.Context.Select(channel.Values.CaseSend(key));
        }
        catch (ChannelClosedException e)
        {
            process.DropInflight(key);
            process.ReturnSelect(pending);
            return call.Raise(e.Message);
        }
        return pending.Start(call.L, task);
    }

    private static int Receive(LuaCall call)
    {
        if (At(call, 1, "receive", out var why) is not { } channel) return call.Raise(why);
        var process = channel.Owner;
        var pending = process.RentSelect(SelectForm.Receive);
        pending.AddCase(1, channel, 0);
        return pending.Start(call.L, process.Context.Select(channel.CaseReceive()));
    }

    private static int Close(LuaCall call)
    {
        if (At(call, 1, "close", out var why) is not { } channel) return call.Raise(why);
        if (channel.Kind is not (ChannelKind.Lua or ChannelKind.Time)) return call.Raise(channel.ReceiveOnly("close"));
        switch (channel.Kind)
        {
            case ChannelKind.Lua:
                channel.Values.Close();
                break;
            default:
                channel.Times.Close();
                break;
        }
        return 0;
    }

    /// <summary>
    /// select(cases, has_default, CASE_MT): the array part's case objects (other entries are skipped, as in the
    /// reference); returns the Lua index of the case that fired, its value and ok, or 0 for the default.
    /// </summary>
    private static int Select(LuaCall call)
    {
        nint L = call.L;
        bool hasDefault = lua_toboolean(L, 2) != 0;
        var process = call.Process;
        var pending = process.RentSelect(SelectForm.Select);
        var cases = process.CaseBuffer;
        cases.Clear();
        long count = (long)lua_rawlen(L, 1);
        for (long i = 1; i <= count; i++)
        {
            lua_rawgeti(L, 1, i);
            if (lua_type(L, -1) != TTable || lua_getmetatable(L, -1) == 0)
            {
                Pop(L, 1);
                continue;
            }
            bool isCase = lua_rawequal(L, -1, 3) != 0;
            Pop(L, 1);
            if (!isCase)
            {
                Pop(L, 1);
                continue;
            }
            lua_rawgeti(L, -1, 1);
            var channel = At(call, lua_gettop(L), "select", out var why);
            Pop(L, 1);
            if (channel is null)
            {
                pending.DropKeys();
                process.ReturnSelect(pending);
                return call.Raise(why);
            }
            lua_rawgeti(L, -1, 3);
            bool isSend = lua_toboolean(L, -1) != 0;
            Pop(L, 1);
            if (!isSend)
            {
                pending.AddCase(i, channel, 0);
                cases.Add(channel.CaseReceive());
            }
            else
            {
                if (channel.Kind != ChannelKind.Lua)
                {
                    pending.DropKeys();
                    process.ReturnSelect(pending);
                    return call.Raise(channel.ReceiveOnly("send on"));
                }
                lua_rawgeti(L, -1, 2);
                long key = process.PutInflight(L, -1);
                Pop(L, 1);
                pending.AddCase(i, channel, key);
                cases.Add(channel.Values.CaseSend(key));
            }
            Pop(L, 1);
        }
        ValueTask<SelectResult> task;
        try
        {
            var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(cases);
            task = hasDefault ? new(process.Context.TrySelect(span)) : process.Context.Select(span);
        }
        catch (ChannelClosedException e)
        {
            pending.DropKeys();
            process.ReturnSelect(pending);
            return call.Raise(e.Message);
        }
        catch (WispException e) when (e.Kind == ErrorKind.Invalid)
        {
            // no case and no default: the reference parks the coroutine for good; so does Wisp (nothing can fire)
            process.ReturnSelect(pending);
            return process.Suspend(L, new PendingForever());
        }
        return pending.Start(L, task);
    }
}

internal enum SelectForm { Select, Receive, Send }

/// <summary>
/// A select started from Lua (also what a channel's receive and send are): its cases' channels and the Lua index
/// of each, the keys of the values its send cases offered, and the core's pending select. When it completes, the
/// keys of the sends that did not happen are forgotten and the results pushed in the form the Lua wrapper wants.
/// Kept by its process for reuse (<see cref="LuaProcess.RentSelect"/>).
/// </summary>
internal sealed class PendingSelect(LuaProcess process) : PendingOperation
{
    private (long LuaIndex, LuaChannel Channel, long Key)[] _cases = new (long, LuaChannel, long)[4];
    private int _count;
    private ValueTask<SelectResult> _task;
    private SelectResult _result;
    private Exception? _error;

    public SelectForm Form { get; private set; }
    public int Count => _count;

    public void Reset(SelectForm form)
    {
        Form = form;
        _count = 0;
        _error = null;
        _result = default;
        _task = default;
    }

    public void AddCase(long luaIndex, LuaChannel channel, long key)
    {
        if (_count == _cases.Length) Array.Resize(ref _cases, _count * 2);
        _cases[_count++] = (luaIndex, channel, key);
    }

    /// <summary>Forgets the values its send cases offered (the select did not happen).</summary>
    public void DropKeys()
    {
        for (int i = 0; i < _count; i++)
            if (_cases[i].Key != 0) process.DropInflight(_cases[i].Key);
        _count = 0;
    }

    /// <summary>Finishes at once if the select completed, else hands itself to the driver.</summary>
    public int Start(nint L, ValueTask<SelectResult> task)
    {
        if (task.IsCompleted)
        {
            try
            {
                _result = task.Result;
            }
            catch (ChannelClosedException e)
            {
                _error = e;
            }
            return PushResults(L);
        }
        _task = task;
        return process.Suspend(L, this);
    }

    /// <summary>The core's pending select, awaited by the driver itself (no state machine of its own per wait).</summary>
    public ValueTask<SelectResult> Task => _task;

    public void Complete(SelectResult result) => _result = result;
    public void Fail(Exception error) => _error = error;

    public override async ValueTask Wait()
    {
        try
        {
            _result = await _task;
        }
        catch (ChannelClosedException e)
        {
            _error = e;
        }
    }

    public override unsafe int PushResults(nint T)
    {
        var (result, error) = (_result, _error);
        int fired = result.IsDefault || error is not null ? -1 : result.Index;
        for (int i = 0; i < _count; i++)
            if (_cases[i].Key != 0 && i != fired) process.DropInflight(_cases[i].Key);
        int pushed;
        switch (Form)
        {
            case SelectForm.Receive:
                _cases[0].Channel.PushReceived(T, result);
                Native.LuaApi.lua_pushboolean(T, result.Ok ? 1 : 0);
                pushed = 2;
                break;
            case SelectForm.Send:
                if (error is null)
                {
                    Native.LuaApi.lua_pushboolean(T, 1);
                    pushed = 1;
                }
                else
                {
                    Native.LuaApi.lua_pushnil(T);
                    ErrorValues.Push(process.Shard, T, error.Message, ErrorKind.InvalidState);
                    pushed = 2;
                }
                break;
            default:
                if (error is not null)
                {
                    LuaShard.PushRaise(T);
                    Native.LuaApi.PushString(T, error.Message);
                    pushed = 2;
                }
                else if (result.IsDefault)
                {
                    Native.LuaApi.lua_pushinteger(T, 0);
                    pushed = 1;
                }
                else
                {
                    var (luaIndex, channel, key) = _cases[result.Index];
                    Native.LuaApi.lua_pushinteger(T, luaIndex);
                    if (key != 0) Native.LuaApi.lua_pushnil(T);   // a send case: the Lua side gives the value it offered
                    else channel.PushReceived(T, result);
                    Native.LuaApi.lua_pushboolean(T, result.Ok ? 1 : 0);
                    pushed = 3;
                }
                break;
        }
        process.ReturnSelect(this);
        return pushed;
    }
}

/// <summary>A wait nothing can end (a select with no case and no default): the coroutine stays parked, as in the reference.</summary>
internal sealed class PendingForever : PendingOperation
{
    public override async ValueTask Wait() => await new TaskCompletionSource().Task;
    public override int PushResults(nint T) => 0;
}
