using Wisp.Hosting;
using static Wisp.Lua.Native.LuaApi;

namespace Wisp.Lua;

/// <summary>What a channel userdata stands for: a Lua channel, or one the runtime feeds (inbox, events, listen, timers, a future's result).</summary>
internal enum ChannelKind { Lua, Inbox, Events, Listen, Time, Result, Bus }

/// <summary>
/// The C# side of a channel userdata. A Lua channel (<c>channel.new</c>) carries keys of values kept in its
/// process's in-flight table (values stay in the state; the channel moves only their keys). The others are the
/// process's mailbox-fed channels, timer channels and a future's channel: Lua receives from them (and closes a
/// timer's), never sends.
/// </summary>
internal sealed class LuaChannel
{
    private LuaChannel(ChannelKind kind, ChannelBase channel, LuaProcess owner)
    {
        Kind = kind;
        Channel = channel;
        Owner = owner;
    }

    public ChannelKind Kind { get; }
    public ChannelBase Channel { get; }
    public LuaProcess Owner { get; }

    /// <summary>A listen channel made without <c>{message = true}</c> gives payload values instead of Message objects.</summary>
    public bool RawPayloads { get; private init; }

    public Channel<long> Values => (Channel<long>)Channel;
    /// <summary>The inbox or a listen channel (receive-only: the runtime feeds them).</summary>
    public ReceiveChannel<Message> Messages { get; private init; }
    /// <summary>The events channel (receive-only).</summary>
    public ReceiveChannel<ProcessEvent> Events { get; private init; }
    public Channel<DateTimeOffset> Times => (Channel<DateTimeOffset>)Channel;
    public Channel<ExitResult> Results => (Channel<ExitResult>)Channel;
    public Channel<BusEvent> BusEvents => (Channel<BusEvent>)Channel;

    /// <summary>The call whose result a <see cref="ChannelKind.Result"/> channel delivers.</summary>
    public LuaFuture? Future { get; private init; }

    /// <summary>The subscription whose events a <see cref="ChannelKind.Bus"/> channel delivers.</summary>
    public LuaSubscription? Subscription { get; private init; }

    public static LuaChannel OfValues(Channel<long> channel, LuaProcess owner) => new(ChannelKind.Lua, channel, owner);
    public static LuaChannel OfInbox(ReceiveChannel<Message> inbox, LuaProcess owner) =>
        new(ChannelKind.Inbox, inbox.Channel, owner) { Messages = inbox };
    public static LuaChannel OfEvents(ReceiveChannel<ProcessEvent> events, LuaProcess owner) =>
        new(ChannelKind.Events, events.Channel, owner) { Events = events };
    public static LuaChannel OfListen(ReceiveChannel<Message> listen, LuaProcess owner, bool messages) =>
        new(ChannelKind.Listen, listen.Channel, owner) { Messages = listen, RawPayloads = !messages };
    public static LuaChannel OfTimes(Channel<DateTimeOffset> channel, LuaProcess owner) => new(ChannelKind.Time, channel, owner);
    public static LuaChannel OfFuture(LuaFuture future, LuaProcess owner) => new(ChannelKind.Result, future.Channel, owner) { Future = future };
    public static LuaChannel OfBus(LuaSubscription subscription, LuaProcess owner) =>
        new(ChannelKind.Bus, subscription.Channel, owner) { Subscription = subscription };

    public SelectCase CaseReceive() => Kind switch
    {
        ChannelKind.Lua => Values.CaseReceive(),
        ChannelKind.Inbox or ChannelKind.Listen => Messages.CaseReceive(),
        ChannelKind.Events => Events.CaseReceive(),
        ChannelKind.Result => Results.CaseReceive(),
        ChannelKind.Bus => BusEvents.CaseReceive(),
        _ => Times.CaseReceive(),
    };

    /// <summary>Pushes a value received from this channel (a select's or a receive's), as Lua sees it.</summary>
    public void PushReceived(nint T, SelectResult result)
    {
        if (!result.Ok)
        {
            lua_pushnil(T);
            return;
        }
        switch (Kind)
        {
            case ChannelKind.Lua:
                Owner.TakeInflight(T, result.ValueAs<long>());
                break;
            case ChannelKind.Inbox or ChannelKind.Listen:
                LuaMessages.PushMessage(Owner.Shard, T, result.ValueAs<Message>(), RawPayloads);
                break;
            case ChannelKind.Events:
                LuaMessages.PushEvent(Owner.Shard, T, result.ValueAs<ProcessEvent>());
                break;
            case ChannelKind.Result:
                LuaFuture.PushOutcome(Owner.Shard, T, result.ValueAs<ExitResult>());
                break;
            case ChannelKind.Bus:
                EventsPrimitives.PushEvent(Owner.Shard, T, result.ValueAs<BusEvent>());
                break;
            default:
                TimeValues.PushTime(Owner.Shard, T, result.ValueAs<DateTimeOffset>());
                break;
        }
    }

    /// <summary>A message for the process that tried to send on or close a channel it may only receive from.</summary>
    public string ReceiveOnly(string what) => Kind switch
    {
        ChannelKind.Inbox => $"cannot {what} the process's inbox: it is fed by the runtime",
        ChannelKind.Events => $"cannot {what} the process's events: they are fed by the runtime",
        ChannelKind.Listen => $"cannot {what} a listen channel (process.unlisten closes it)",
        ChannelKind.Result => $"cannot {what} a future's channel: it is fed by the call",
        ChannelKind.Bus => $"cannot {what} a subscription's channel (sub:close() closes it)",
        _ => $"cannot {what} a timer's channel",
    };
}
