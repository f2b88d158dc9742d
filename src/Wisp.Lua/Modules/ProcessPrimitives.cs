using static Wisp.Lua.Native.LuaApi;

namespace Wisp.Lua;

/// <summary>
/// The <c>process</c> module: each function acts in the name of the calling process through its
/// <see cref="ProcessContext"/>, so the rules and errors are the core's (docs/runtime.md); failures come back as
/// <c>nil, err</c> with the reference's messages, and wrong argument types raise, as in the reference.
/// </summary>
internal static unsafe class ProcessPrimitives
{
    private static readonly string[] SpawnNames = ["spawn", "spawn_monitored", "spawn_linked", "spawn_linked_monitored"];

    public static void Register(Primitives.Registrar p)
    {
        p.Add("pid", &GetPid);
        p.Add("id", &GetId);
        p.Add("send", &Send);
        p.Add("spawn", &Spawn);
        p.Add("monitor", &Monitor);
        p.Add("unmonitor", &Unmonitor);
        p.Add("link", &Link);
        p.Add("unlink", &Unlink);
        p.Add("cancel", &Cancel);
        p.Add("terminate", &Terminate);
        p.Add("get_options", &GetOptions);
        p.Add("set_options", &SetOptions);
        p.Add("inbox", &Inbox);
        p.Add("events", &Events);
        p.Add("listen", &Listen);
        p.Add("unlisten", &Unlisten);
        p.Add("register", &RegisterName);
        p.Add("lookup", &Lookup);
        p.Add("unregister", &Unregister);
    }

    private static int GetPid(LuaCall call)
    {
        if (!call.HasProcess) return call.Fail("no process PID", ErrorKind.Internal);
        call.Shard.Texts.Push(call.L, call.Process.Pid);
        return 1;
    }

    private static int GetId(LuaCall call)
    {
        if (call.Shard.Current is not { } process) return call.Fail("no context found", ErrorKind.Internal);
        PushString(call.L, process.EntryId);
        return 1;
    }

    private static int Send(LuaCall call)
    {
        int count = call.Count;
        if (count < 2) return call.Fail("send requires at least destination and topic arguments", ErrorKind.Invalid);
        if (call.Type(1) is not (TString or TNumber)) return call.ArgError(1, "send", "string");
        var topic = call.TextOrNumber(2);
        if (topic is null) return call.ArgError(2, "send", "string");
        if (!call.HasProcess) return call.Fail("no process PID", ErrorKind.Internal);
        var process = call.Process;
        var context = process.Context!;
        try
        {
            Pid pid = default;
            bool byPid = call.Type(1) == TString && call.Shard.Texts.TryPid(call.L, 1, out pid);
            string? name = byPid ? null : call.TextOrNumber(1)!;
            if (count == 3)
            {
                var payload = LuaValues.ToNeutral(call.Shard, call.L, 3, process.MaxPayloadBytes);
                if (name is null) context.Send(pid, topic, payload);
                else context.Send(name, topic, payload);
            }
            else
            {
                var payloads = new object?[count - 2];
                for (int i = 3; i <= count; i++) payloads[i - 3] = LuaValues.ToNeutral(call.Shard, call.L, i, process.MaxPayloadBytes);
                if (name is null) context.SendMany(pid, topic, payloads);
                else context.SendMany(name, topic, payloads);
            }
        }
        catch (WispException e)
        {
            return call.Fail(e);
        }
        return call.True();
    }

    /// <summary>spawn(mode, id, host, ...): mode 0 plain, 1 monitored, 2 linked, 3 both.</summary>
    private static int Spawn(LuaCall call)
    {
        int mode = (int)(ToInteger(call.L, 1) ?? 0);
        string name = SpawnNames[mode & 3];
        if (call.Count < 3) return call.Fail($"{name} requires at least id and host arguments", ErrorKind.Invalid);
        var entry = call.TextOrNumber(2);
        if (entry is null) return call.ArgError(1, name, "string");
        var host = call.TextOrNumber(3);
        if (host is null) return call.ArgError(2, name, "string");
        var process = call.Process;
        try
        {
            var args = new object?[call.Count - 3];
            for (int i = 4; i <= call.Count; i++) args[i - 4] = LuaValues.ToNeutral(call.Shard, call.L, i, process.MaxPayloadBytes);
            var context = process.Context!;
            var pid = (mode & 3) switch
            {
                0 => context.Spawn(entry, host, args),
                1 => context.SpawnMonitored(entry, host, args),
                2 => context.SpawnLinked(entry, host, args),
                _ => context.SpawnLinkedMonitored(entry, host, args),
            };
            call.Shard.Texts.Push(call.L, pid);
            return 1;
        }
        catch (WispException e)
        {
            return call.Fail(e);
        }
    }

    /// <summary>The destination at <paramref name="index"/> (a PID string or a registered name), resolved now.</summary>
    private static bool TryResolve(LuaCall call, int index, string function, out Pid pid, out int result)
    {
        pid = default;
        result = 0;
        if (IsNoneOrNil(call.L, index))
        {
            result = call.Fail($"{function} requires a destination argument", ErrorKind.Invalid);
            return false;
        }
        if (call.Type(index) == TString && call.Shard.Texts.TryPid(call.L, index, out pid)) return true;
        var text = call.TextOrNumber(index);
        if (text is null)
        {
            result = call.ArgError(index, function, "string");
            return false;
        }
        if (text.StartsWith('{'))
        {
            result = call.Fail($"invalid pid format: '{text}'", ErrorKind.Invalid);
            return false;
        }
        if (call.Process.Context.Registry.Lookup(text) is { } named)
        {
            pid = named;
            return true;
        }
        result = call.Fail($"could not resolve '{text}' as PID or registered name", ErrorKind.NotFound);
        return false;
    }

    private static int Topology(LuaCall call, string function, delegate*<ProcessContext, Pid, void> act)
    {
        if (!TryResolve(call, 1, function, out var pid, out int result)) return result;
        try
        {
            act(call.Process.Context!, pid);
        }
        catch (WispException e)
        {
            return call.Fail(e);
        }
        return call.True();
    }

    private static int Monitor(LuaCall call) => Topology(call, "monitor", &DoMonitor);
    private static int Unmonitor(LuaCall call) => Topology(call, "unmonitor", &DoUnmonitor);
    private static int Link(LuaCall call) => Topology(call, "link", &DoLink);
    private static int Unlink(LuaCall call) => Topology(call, "unlink", &DoUnlink);
    private static int Terminate(LuaCall call) => Topology(call, "terminate", &DoTerminate);
    private static void DoMonitor(ProcessContext p, Pid pid) => p.Monitor(pid);
    private static void DoUnmonitor(ProcessContext p, Pid pid) => p.Unmonitor(pid);
    private static void DoLink(ProcessContext p, Pid pid) => p.Link(pid);
    private static void DoUnlink(ProcessContext p, Pid pid) => p.Unlink(pid);
    private static void DoTerminate(ProcessContext p, Pid pid) => p.Terminate(pid);

    /// <summary>cancel(dest, reason?): a CANCEL event with the reason (a string, or any value's text).</summary>
    private static int Cancel(LuaCall call)
    {
        if (!TryResolve(call, 1, "cancel", out var pid, out int result)) return result;
        string reason = IsNoneOrNil(call.L, 2) ? "" : LuaShard.Describe(call.L, 2);
        try
        {
            call.Process.Context.Cancel(pid, reason);
        }
        catch (WispException e)
        {
            return call.Fail(e);
        }
        return call.True();
    }

    private static int GetOptions(LuaCall call)
    {
        lua_createtable(call.L, 0, 1);
        PushString(call.L, "trap_links");
        lua_pushboolean(call.L, call.HasProcess && call.Process.Context.TrapLinks ? 1 : 0);
        lua_rawset(call.L, -3);
        return 1;
    }

    /// <summary>set_options{trap_links = bool}: → true, or false and an error (the reference's messages; valid keys still apply).</summary>
    private static int SetOptions(LuaCall call)
    {
        nint L = call.L;
        if (call.Type(1) != TTable) return False(call, "options parameter must be a table", ErrorKind.Invalid);
        if (!call.HasProcess) return False(call, "no process context", ErrorKind.Internal);
        string? problem = null;
        lua_pushnil(L);
        while (lua_next(L, 1) != 0)
        {
            if (ToText(L, -2) is { } key)
            {
                if (key == "trap_links")
                {
                    if (lua_type(L, -1) == TBoolean)
                    {
                        var context = call.Process.Context;
                        context.TrapLinks = lua_toboolean(L, -1) != 0;
                    }
                    else problem = "trap_links must be a boolean";
                }
                else problem ??= $"option {key} is not supported";
            }
            Pop(L, 1);
        }
        if (problem is not null) return False(call, problem, ErrorKind.Invalid);
        lua_pushboolean(L, 1);
        lua_pushnil(L);
        return 2;
    }

    private static int False(LuaCall call, string message, ErrorKind kind)
    {
        lua_pushboolean(call.L, 0);
        ErrorValues.Push(call.Shard, call.L, message, kind);
        return 2;
    }

    private static int Inbox(LuaCall call)
    {
        var process = call.Process;
        ChannelPrimitives.Push(call, LuaChannel.OfInbox(process.Context.Inbox, process));
        return 1;
    }

    private static int Events(LuaCall call)
    {
        var process = call.Process;
        ChannelPrimitives.Push(call, LuaChannel.OfEvents(process.Context.Events, process));
        return 1;
    }

    /// <summary>listen(topic, {message = bool}?): the channel of one topic (the same core channel on every call).</summary>
    private static int Listen(LuaCall call)
    {
        var topic = call.TextOrNumber(1);
        if (topic is null) return call.ArgError(1, "listen", "string");
        bool messages = false;
        if (call.Type(2) == TTable)
        {
            PushString(call.L, "message");
            lua_rawget(call.L, 2);
            messages = lua_toboolean(call.L, -1) != 0;
            Pop(call.L, 1);
        }
        var process = call.Process;
        try
        {
            ChannelPrimitives.Push(call, LuaChannel.OfListen(process.Context.Listen(topic), process, messages));
        }
        catch (WispException e)
        {
            return call.Fail(e);
        }
        return 1;
    }

    private static int Unlisten(LuaCall call)
    {
        if (ChannelPrimitives.At(call, 1, "unlisten", out var why) is not { } channel) return call.Raise(why);
        if (channel.Kind != ChannelKind.Listen || !call.Process.Context.Unlisten(channel.Messages))
            return False(call, "not subscribed: the channel is not a listen channel of this process", ErrorKind.NotFound);
        return call.True();
    }

    /// <summary>
    /// register(name, pid?, scope?) — the order the reference's docs give; (name, scope, pid) as its code reads is
    /// taken too. A scope other than LOCAL needs a cluster; none given is the node's default scope.
    /// </summary>
    private static int RegisterName(LuaCall call)
    {
        var name = call.TextOrNumber(1);
        if (name is null) return call.ArgError(1, "register", "string");
        int pidIndex = call.Type(2) == TNumber ? 3 : 2, scopeIndex = pidIndex == 2 ? 3 : 2;
        if (!TryScope(call, scopeIndex, out var scope, out int failed)) return failed;
        var registry = call.Process.Context.Registry;
        Task registered;
        try
        {
            if (IsNoneOrNil(call.L, pidIndex)) registered = registry.RegisterAsync(name, scope);
            else
            {
                if (call.Type(pidIndex) != TString) return call.Fail("pid must be a string", ErrorKind.Invalid);
                var text = call.Text(pidIndex)!;
                if (!Pid.TryParse(text, out var pid)) return call.Fail($"invalid pid format: '{text}'", ErrorKind.Invalid);
                registered = registry.RegisterAsync(name, pid, scope);
            }
        }
        catch (WispException e)
        {
            return call.Fail(e);
        }
        var pending = new PendingRegistration(call.Shard, registered);
        return registered.IsCompleted ? pending.PushResults(call.L) : call.Process.Suspend(call.L, pending);
    }

    private static int Lookup(LuaCall call)
    {
        var name = call.TextOrNumber(1);
        if (name is null) return call.ArgError(1, "lookup", "string");
        if (call.Process.Context.Registry.Lookup(name) is not { } pid) return call.Fail("name not registered", ErrorKind.NotFound);
        call.Shard.Texts.Push(call.L, pid);
        return 1;
    }

    /// <summary>unregister(name, scope?): true if the name was removed; with a cluster scope, only a name this process holds.</summary>
    private static int Unregister(LuaCall call)
    {
        var name = call.TextOrNumber(1);
        if (name is null) return call.ArgError(1, "unregister", "string");
        var registry = call.Process.Context.Registry;
        bool removed;
        if (IsNoneOrNil(call.L, 2)) removed = registry.Unregister(name);
        else
        {
            if (!TryScope(call, 2, out var scope, out int failed)) return failed;
            removed = registry.Unregister(name, scope);
        }
        lua_pushboolean(call.L, removed ? 1 : 0);
        return 1;
    }

    /// <summary>The scope argument at <paramref name="index"/> (the node's default when it is nil or absent).</summary>
    private static bool TryScope(LuaCall call, int index, out RegistryScope scope, out int failed)
    {
        scope = call.Process.Context.Node.Registry.DefaultScope;
        failed = 0;
        if (IsNoneOrNil(call.L, index)) return true;
        if (call.Type(index) != TNumber || ToInteger(call.L, index) is not { } value || value is < 0 or > 3)
        {
            failed = call.Fail("scope must be process.registry.LOCAL, EVENTUAL, CONSISTENT or STRONG", ErrorKind.Invalid);
            return false;
        }
        scope = (RegistryScope)value;
        return true;
    }
}

/// <summary>A register that waits for the cluster (a CONSISTENT name): true, or nil and the error.</summary>
internal sealed class PendingRegistration(LuaShard shard, Task registered) : PendingOperation
{
    public override async ValueTask Wait()
    {
        try
        {
            await registered;
        }
        catch (WispException)
        {
            // pushed as the call's error
        }
    }

    public override int PushResults(nint T)
    {
        if (registered.Exception?.GetBaseException() is WispException e)
        {
            lua_pushnil(T);
            ErrorValues.Push(shard, T, e.Message, e.Kind);
            return 2;
        }
        if (registered.IsFaulted) throw registered.Exception!.GetBaseException();
        lua_pushboolean(T, 1);
        return 1;
    }
}
