using System.Threading.Channels;
using Wisp.Hosting;
using static Wisp.Lua.Native.LuaApi;

namespace Wisp.Lua;

/// <summary>
/// The <c>events</c> module (the node's <see cref="EventBus"/>): send, and subscriptions whose channel (capacity 64,
/// owned by the subscriber) receives <c>{system, kind, path, data}</c> tables. The bus hands an event to the
/// subscription on the sender's thread, into a backlog; a coroutine of the subscribing process moves it into the
/// channel on the process's loop, so that the channel is only touched there. A subscription ends with
/// <c>sub:close()</c> or with its process; a subscriber 1,024 events behind drops newer ones (the bus is
/// best-effort), and its process's log says so once each time it starts dropping.
/// </summary>
internal static unsafe class EventsPrimitives
{
    private const int ChannelCapacity = 64, Backlog = 1024;

    public static void Register(Primitives.Registrar p)
    {
        p.Add("events_subscribe", &Subscribe);
        p.Add("events_close", &Close);
        p.Add("events_send", &Send);
    }

    /// <summary>events_subscribe(system, kind?): the subscription's channel, or nil and the error.</summary>
    private static int Subscribe(LuaCall call)
    {
        if (call.Type(1) != TString) return call.ArgError(1, "subscribe", "string");
        if (!IsNoneOrNil(call.L, 2) && call.Type(2) != TString) return call.ArgError(2, "subscribe", "string");
        var process = call.Process;
        var context = process.Context!;
        if (context.Feature<EventBus>() is not { } bus) return call.Fail("event bus not found in context", ErrorKind.Internal);
        var backlog = System.Threading.Channels.Channel.CreateBounded<BusEvent>(new BoundedChannelOptions(Backlog)
        {
            FullMode = BoundedChannelFullMode.Wait,   // TryWrite then fails when full: the drop is seen
            SingleReader = true,
        });
        var drops = new DropReport(context.Logger, call.Text(1)!, Backlog);
        IDisposable listening;
        try
        {
            listening = bus.Subscribe(call.Text(1)!, call.Text(2), e => drops.Written(backlog.Writer.TryWrite(e)));
        }
        catch (WispException e)
        {
            return call.Fail(e);
        }
        var subscription = new LuaSubscription(listening, backlog.Writer, context.NewChannel<BusEvent>(ChannelCapacity));
        context.OnExit(_ => listening.Dispose());
        context.Go(() => subscription.Forward(backlog.Reader));
        ChannelPrimitives.Push(call, LuaChannel.OfBus(subscription, process));
        return 1;
    }

    /// <summary>events_close(ch): ends the subscription and closes its channel (buffered events stay readable); true.</summary>
    private static int Close(LuaCall call)
    {
        if (ChannelPrimitives.At(call, 1, "close", out var why) is not { Subscription: { } subscription })
            return call.Raise(why.Length > 0 ? why : "bad argument #1 to 'close' (event subscription expected)");
        subscription.Close();
        return call.True();
    }

    /// <summary>events_send(system, kind, path, data?): true, or false and the error.</summary>
    private static int Send(LuaCall call)
    {
        for (int i = 1; i <= 3; i++)
            if (call.Type(i) != TString) return call.ArgError(i, "send", "string");
        var process = call.Process;
        if (process.Context.Feature<EventBus>() is not { } bus) return call.Refuse("event bus not found in context", ErrorKind.Internal);
        try
        {
            object? data = IsNoneOrNil(call.L, 4) ? null : LuaValues.ToNeutral(call.Shard, call.L, 4, process.MaxPayloadBytes);
            bus.Send(new BusEvent(call.Text(1)!, call.Text(2)!, call.Text(3)!, data));
        }
        catch (WispException e)
        {
            return call.Refuse(e.Message, e.Kind);
        }
        return call.True();
    }

    /// <summary>An event as the subscription's channel gives it: <c>{system, kind, path}</c>, and <c>data</c> when it has some.</summary>
    public static void PushEvent(LuaShard shard, nint T, BusEvent e)
    {
        lua_checkstack(T, 4);
        lua_createtable(T, 0, e.Data is null ? 3 : 4);
        var texts = shard.Texts;
        texts.SetField(T, "system", e.System);
        texts.SetField(T, "kind", e.Kind);
        texts.Push(T, "path");
        PushString(T, e.Path);   // paths vary: not kept among the shard's texts
        lua_rawset(T, -3);
        if (e.Data is null) return;
        texts.Push(T, "data");
        try
        {
            LuaValues.Push(shard, T, e.Data);
        }
        catch (WispException)
        {
            lua_pushnil(T);
        }
        lua_rawset(T, -3);
    }
}

/// <summary>Logs once when a subscription starts dropping events, with how many it dropped the time before.</summary>
internal sealed class DropReport(Microsoft.Extensions.Logging.ILogger logger, string pattern, int backlog)
{
    private long _dropped;
    private int _dropping;

    /// <summary>Called by the bus's sender for each event: whether the backlog took it.</summary>
    public void Written(bool taken)
    {
        if (taken)
        {
            Volatile.Write(ref _dropping, 0);
            return;
        }
        long total = Interlocked.Increment(ref _dropped);
        if (Interlocked.Exchange(ref _dropping, 1) == 0)
            Microsoft.Extensions.Logging.LoggerExtensions.LogWarning(logger,
                "events: the subscription to {pattern} is {backlog} events behind: dropping newer events ({total} dropped so far)",
                pattern, backlog, total);
    }
}

/// <summary>A subscription as its process holds it: the bus's registration, the backlog it fills, and the channel.</summary>
internal sealed class LuaSubscription(IDisposable listening, ChannelWriter<BusEvent> backlog, Channel<BusEvent> channel)
{
    public Channel<BusEvent> Channel { get; } = channel;

    /// <summary>Moves events from the backlog into the channel, on the process's loop (a coroutine of it).</summary>
    public async Task Forward(ChannelReader<BusEvent> reader)
    {
        try
        {
            await foreach (var e in reader.ReadAllAsync()) await Channel.Send(e);
        }
        catch (ChannelClosedException)
        {
            // closed by sub:close() while an event waited for room
        }
    }

    public void Close()
    {
        listening.Dispose();
        backlog.TryComplete();
        Channel.Close();
    }
}
