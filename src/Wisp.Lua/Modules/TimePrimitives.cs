using Wisp.Hosting.Entries;
using static Wisp.Lua.Native.LuaApi;

namespace Wisp.Lua;

/// <summary>
/// The <c>time</c> module: sleeps, one-shot channels (<c>after</c>), timers and tickers on the core's process
/// timers (only the calling coroutine waits; all are stopped when the process ends), and Time, Duration and
/// Location values as userdata. A duration is a number of nanoseconds, a Go duration string or a Duration; an
/// invalid one is <c>nil, err</c> (Invalid), as in the reference.
/// </summary>
internal static unsafe class TimePrimitives
{
    public static void Register(Primitives.Registrar p)
    {
        p.Add("sleep", &Sleep);
        p.Add("after", &After);
        p.Add("timer", &NewTimer);
        p.Add("timer_channel", &TimerChannel);
        p.Add("timer_stop", &TimerStop);
        p.Add("timer_reset", &TimerReset);
        p.Add("ticker", &NewTicker);
        p.Add("ticker_channel", &TickerChannel);
        p.Add("ticker_stop", &TickerStop);
        p.Add("now", &Now);
        p.Add("time_unix", &Unix);
        p.Add("time_date", &Date);
        p.Add("time_parse", &Parse);
        p.Add("parse_duration", &ParseDuration);
        p.Add("fixed_zone", &FixedZone);
        p.Add("load_location", &LoadLocation);
        p.Add("time_tostring", &TimeToString);
        p.Add("time_eq", &TimeEquals);
        p.Add("time_lt", &TimeLess);
        p.Add("time_le", &TimeLessOrEqual);
        p.Add("duration_tostring", &DurationToString);
        p.Add("duration_eq", &DurationEquals);
        p.Add("location_tostring", &LocationToString);
        p.Table("time_methods", &TimeValues.RegisterTimeMethods);
        p.Table("duration_methods", &TimeValues.RegisterDurationMethods);
    }

    /// <summary>A duration argument in nanoseconds; false and the reference's message when it is not one.</summary>
    public static bool TryDuration(LuaCall call, int index, out long nanoseconds, out string error)
    {
        error = "";
        nanoseconds = 0;
        switch (call.Type(index))
        {
            case TNumber:
                nanoseconds = lua_isinteger(call.L, index) != 0 ? lua_tointegerx(call.L, index, null) : (long)lua_tonumberx(call.L, index, null);
                return true;
            case TString:
                return GoDuration.TryParseNanoseconds(call.Text(index), bareIntegerIsNanoseconds: false, out nanoseconds, out error);
            case TUserdata when Userdata.As<ValueUserdata>(call.L, index, UserdataTag.Duration) is var d && d != null:
                nanoseconds = d->Value;
                return true;
            default:
                error = "duration must be number or string";
                return false;
        }
    }

    private static TimeSpan Span(long nanoseconds) => TimeSpan.FromTicks(nanoseconds / 100);

    private static int Sleep(LuaCall call)
    {
        if (!TryDuration(call, 1, out long ns, out string error)) return call.Fail(error, ErrorKind.Invalid);
        var wait = call.Process.Context.Sleep(Span(ns));
        if (wait.IsCompleted) return 0;
        return call.Process.Suspend(call.L, new PendingTask(wait));
    }

    private static int After(LuaCall call)
    {
        if (!TryDuration(call, 1, out long ns, out string error)) return call.Fail(error, ErrorKind.Invalid);
        if (ns <= 0) return call.Fail("time.after: duration must be > 0", ErrorKind.Invalid);
        var process = call.Process;
        ChannelPrimitives.Push(call, LuaChannel.OfTimes(process.Context.After(Span(ns)), process));
        return 1;
    }

    /// <summary>A timer (or ticker) userdata: a handle to its <see cref="LuaTimer"/>; its channel userdata is made once.</summary>
    private static int PushTimer(LuaCall call, LuaTimer timer, UserdataTag tag, int metatable)
    {
        var userdata = Userdata.Push<HandleUserdata>(call.L, metatable, userValues: 1);
        userdata->Tag = tag;
        userdata->Handle = call.Shard.Handles.Add(timer);
        ChannelPrimitives.Push(call, LuaChannel.OfTimes(timer.Channel, call.Process));
        lua_setiuservalue(call.L, -2, 1);
        return 1;
    }

    private static LuaTimer? TimerAt(LuaCall call, UserdataTag tag) =>
        Userdata.As<HandleUserdata>(call.L, 1, tag) is var h && h != null ? call.Shard.Handles.Get(h->Handle) as LuaTimer : null;

    private static int NewTimer(LuaCall call)
    {
        if (!TryDuration(call, 1, out long ns, out string error)) return call.Fail(error, ErrorKind.Invalid);
        if (ns <= 0) return call.Fail("time.timer: duration must be > 0", ErrorKind.Invalid);
        var timer = call.Process.Context.NewTimer(Span(ns));
        return PushTimer(call, new LuaTimer(timer, null), UserdataTag.Timer, call.Shard.TimerMt);
    }

    private static int NewTicker(LuaCall call)
    {
        if (!TryDuration(call, 1, out long ns, out string error)) return call.Fail(error, ErrorKind.Invalid);
        if (ns <= 0) return call.Fail("time.ticker: duration must be > 0", ErrorKind.Invalid);
        var ticker = call.Process.Context.NewTicker(Span(ns));
        return PushTimer(call, new LuaTimer(null, ticker), UserdataTag.Ticker, call.Shard.TickerMt);
    }

    private static int TimerChannel(LuaCall call)
    {
        if (TimerAt(call, UserdataTag.Timer) is null) return call.Raise("bad argument #1 to 'channel' (Timer expected)");
        lua_getiuservalue(call.L, 1, 1);
        return 1;
    }

    private static int TickerChannel(LuaCall call)
    {
        if (TimerAt(call, UserdataTag.Ticker) is null) return call.Raise("bad argument #1 to 'channel' (Ticker expected)");
        lua_getiuservalue(call.L, 1, 1);
        return 1;
    }

    /// <summary>timer:stop() → true if it had not fired yet.</summary>
    private static int TimerStop(LuaCall call)
    {
        if (TimerAt(call, UserdataTag.Timer) is not { Timer: { } timer }) return call.Raise("bad argument #1 to 'stop' (Timer expected)");
        lua_pushboolean(call.L, timer.Stop() ? 1 : 0);
        return 1;
    }

    /// <summary>timer:reset(d) → true if it was still pending (Go's Reset).</summary>
    private static int TimerReset(LuaCall call)
    {
        if (TimerAt(call, UserdataTag.Timer) is not { Timer: { } timer }) return call.Raise("bad argument #1 to 'reset' (Timer expected)");
        if (!TryDuration(call, 2, out long ns, out string error)) return call.Raise($"timer:reset: {error}");
        if (ns <= 0) return call.Raise("timer:reset: duration must be > 0");
        bool wasPending = timer.Stop();
        timer.Reset(Span(ns));
        lua_pushboolean(call.L, wasPending ? 1 : 0);
        return 1;
    }

    private static int TickerStop(LuaCall call)
    {
        if (TimerAt(call, UserdataTag.Ticker) is not { Ticker: { } ticker }) return call.Raise("bad argument #1 to 'stop' (Ticker expected)");
        ticker.Stop();
        return call.True();
    }

    private static int Now(LuaCall call)
    {
        TimeValues.PushTime(call.Shard, call.L, call.HasProcess ? call.Process.Context.Now : DateTimeOffset.UtcNow);
        return 1;
    }

    /// <summary>time.unix(seconds, nanoseconds) → Time.</summary>
    private static int Unix(LuaCall call)
    {
        if (ToInteger(call.L, 1) is not { } seconds) return call.ArgError(1, "unix", "number");
        long nanos = ToInteger(call.L, 2) ?? 0;
        TimeValues.PushTime(call.Shard, call.L, seconds * 1_000_000_000 + nanos, TimeValues.LocalZone);
        return 1;
    }

    /// <summary>time.date(year, month, day, hour, min, sec, nsec, location?) → Time (Go's time.Date, normalising overflow).</summary>
    private static int Date(LuaCall call)
    {
        var parts = new long[7];
        for (int i = 0; i < 7; i++)
        {
            if (ToInteger(call.L, i + 1) is not { } part) return call.ArgError(i + 1, "date", "number");
            parts[i] = part;
        }
        int zone = IsNoneOrNil(call.L, 8) ? TimeValues.LocalZone : TimeValues.ZoneAt(call, 8);
        if (zone == TimeValues.NoZone) return call.Raise("bad argument #8 to 'date' (location expected)");
        var info = TimeValues.Zone(call.Shard, zone);
        var local = new DateTime(1, 1, 1, 0, 0, 0, DateTimeKind.Unspecified)
            .AddYears((int)parts[0] - 1).AddMonths((int)parts[1] - 1).AddDays(parts[2] - 1)
            .AddHours(parts[3]).AddMinutes(parts[4]).AddSeconds(parts[5]).AddTicks(parts[6] / 100);
        var instant = new DateTimeOffset(local, info.GetUtcOffset(local));
        TimeValues.PushTime(call.Shard, call.L, TimeValues.UnixNanos(instant), zone);
        return 1;
    }

    /// <summary>time.parse(layout, value, location?) → Time, or nil, err (Invalid).</summary>
    private static int Parse(LuaCall call)
    {
        var layout = call.TextOrNumber(1);
        if (layout is null) return call.ArgError(1, "parse", "string");
        var value = call.TextOrNumber(2);
        if (value is null) return call.ArgError(2, "parse", "string");
        int zone = 0;
        if (!IsNoneOrNil(call.L, 3))
        {
            zone = TimeValues.ZoneAt(call, 3);
            if (zone == TimeValues.NoZone) return call.Raise("bad argument #3 to 'parse' (location expected)");
        }
        var parsed = GoTimeLayout.Parse(layout, value, zone == 0 ? null : TimeValues.Zone(call.Shard, zone), out string error);
        if (parsed is null) return call.Fail(error, ErrorKind.Invalid);
        TimeValues.PushTime(call.Shard, call.L, TimeValues.UnixNanos(parsed.Value), zone == 0 && parsed.Value.Offset == TimeSpan.Zero ? 0 : zone);
        return 1;
    }

    private static int ParseDuration(LuaCall call)
    {
        if (call.Type(1) is TBoolean or TNil or TTable or TFunction)
            return call.Fail($"invalid value type: {TypeName(call.Type(1))}", ErrorKind.Invalid);
        if (!TryDuration(call, 1, out long ns, out string error)) return call.Fail(error, ErrorKind.Invalid);
        TimeValues.PushDuration(call.Shard, call.L, ns);
        return 1;
    }

    private static int FixedZone(LuaCall call)
    {
        var name = call.TextOrNumber(1) ?? "";
        if (ToInteger(call.L, 2) is not { } offset) return call.ArgError(2, "fixed_zone", "number");
        int zone = call.Shard.ZoneHandle($"fixed {offset} {name}",
            () => TimeZoneInfo.CreateCustomTimeZone(name, TimeSpan.FromSeconds(offset), name, name));
        TimeValues.PushLocation(call.Shard, call.L, zone);
        return 1;
    }

    private static int LoadLocation(LuaCall call)
    {
        var name = call.TextOrNumber(1);
        if (string.IsNullOrEmpty(name)) return call.Fail("empty location name", ErrorKind.Invalid);
        if (name == "UTC")
        {
            TimeValues.PushLocation(call.Shard, call.L, 0);
            return 1;
        }
        if (name == "Local")
        {
            TimeValues.PushLocation(call.Shard, call.L, TimeValues.LocalZone);
            return 1;
        }
        try
        {
            TimeValues.PushLocation(call.Shard, call.L, call.Shard.ZoneHandle(name, () => TimeZoneInfo.FindSystemTimeZoneById(name)));
            return 1;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return call.Fail($"unknown time zone {name}", ErrorKind.NotFound);
        }
    }

    private static int TimeToString(LuaCall call)
    {
        if (TimeValues.At(call, 1) == null) return call.Raise("bad argument #1 to 'tostring' (time expected)");
        PushString(call.L, TextOf(call, 1)!);
        return 1;
    }

    /// <summary>What tostring gives for the time, duration or location at <paramref name="index"/>; null for another value.</summary>
    public static string? TextOf(LuaCall call, int index)
    {
        switch (Userdata.TagOf(call.L, index))
        {
            case UserdataTag.Time:
                var t = TimeValues.At(call, index);
                var at = TimeValues.ToOffset(call.Shard, *t);
                return GoTimeLayout.TimeString(at, TimeValues.ZoneName(call.Shard, t->Location, at));
            case UserdataTag.Duration:
                return GoTimeLayout.DurationString(Userdata.As<ValueUserdata>(call.L, index, UserdataTag.Duration)->Value);
            case UserdataTag.Location:
                return TimeValues.ZoneAt(call, index) switch
                {
                    TimeValues.NoZone => "",
                    0 => "UTC",
                    TimeValues.LocalZone => "Local",
                    var zone => TimeValues.Zone(call.Shard, zone).Id,
                };
            default:
                return null;
        }
    }

    private static int Compare(LuaCall call, Func<long, long, bool> test)
    {
        var a = TimeValues.At(call, 1);
        var b = TimeValues.At(call, 2);
        if (a == null || b == null) return call.Raise("attempt to compare a time with another value");
        lua_pushboolean(call.L, test(a->UnixNanos, b->UnixNanos) ? 1 : 0);
        return 1;
    }

    private static int TimeEquals(LuaCall call) => Compare(call, static (a, b) => a == b);
    private static int TimeLess(LuaCall call) => Compare(call, static (a, b) => a < b);
    private static int TimeLessOrEqual(LuaCall call) => Compare(call, static (a, b) => a <= b);

    private static int DurationToString(LuaCall call)
    {
        PushString(call.L, Userdata.TagOf(call.L, 1) == UserdataTag.Duration ? TextOf(call, 1)! : "");
        return 1;
    }

    private static int DurationEquals(LuaCall call)
    {
        var a = Userdata.As<ValueUserdata>(call.L, 1, UserdataTag.Duration);
        var b = Userdata.As<ValueUserdata>(call.L, 2, UserdataTag.Duration);
        lua_pushboolean(call.L, a != null && b != null && a->Value == b->Value ? 1 : 0);
        return 1;
    }

    private static int LocationToString(LuaCall call)
    {
        PushString(call.L, Userdata.TagOf(call.L, 1) == UserdataTag.Location ? TextOf(call, 1)! : "");
        return 1;
    }
}

/// <summary>What a timer or ticker userdata stands for.</summary>
internal sealed record LuaTimer(WispTimer? Timer, Ticker? Ticker)
{
    public Channel<DateTimeOffset> Channel => Timer?.Channel ?? Ticker!.Channel;
}

/// <summary>A plain wait (a sleep): nothing to push when it is over.</summary>
internal sealed class PendingTask(ValueTask task) : PendingOperation
{
    public override ValueTask Wait() => task;
    public override int PushResults(nint T) => 0;
}
