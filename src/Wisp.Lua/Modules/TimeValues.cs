using static Wisp.Lua.Native.LuaApi;

namespace Wisp.Lua;

/// <summary>
/// Time, Duration and Location userdata and their methods (Go's time API, as the reference offers it). A time
/// holds Unix nanoseconds and its location: 0 is UTC, <see cref="LocalZone"/> the machine's, any other a handle to
/// a TimeZoneInfo, kept once per zone in the shard (<see cref="LuaShard.ZoneHandle"/>) so times never outlive it.
/// </summary>
internal static unsafe class TimeValues
{
    public const int LocalZone = -1;
    public const int NoZone = int.MinValue;
    private static readonly long ZeroTime = UnixNanos(new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public static long UnixNanos(DateTimeOffset t) => (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;

    public static void PushTime(LuaShard shard, nint L, DateTimeOffset t) => PushTime(shard, L, UnixNanos(t), LocalZone);

    public static void PushTime(LuaShard shard, nint L, long unixNanos, int zone)
    {
        var time = Userdata.Push<TimeUserdata>(L, shard.TimeMt);
        time->Tag = UserdataTag.Time;
        time->Location = zone;
        time->UnixNanos = unixNanos;
    }

    public static void PushDuration(LuaShard shard, nint L, long nanoseconds)
    {
        var duration = Userdata.Push<ValueUserdata>(L, shard.DurationMt);
        duration->Tag = UserdataTag.Duration;
        duration->Value = nanoseconds;
    }

    public static void PushLocation(LuaShard shard, nint L, int zone)
    {
        var location = Userdata.Push<ValueUserdata>(L, shard.LocationMt);
        location->Tag = UserdataTag.Location;
        location->Handle = zone;
    }

    public static TimeUserdata* At(LuaCall call, int index) => Userdata.As<TimeUserdata>(call.L, index, UserdataTag.Time);

    /// <summary>The zone of the location userdata at <paramref name="index"/>, or <see cref="NoZone"/>.</summary>
    public static int ZoneAt(LuaCall call, int index) =>
        Userdata.As<ValueUserdata>(call.L, index, UserdataTag.Location) is var l && l != null ? l->Handle : NoZone;

    public static TimeZoneInfo Zone(LuaShard shard, int zone) => zone switch
    {
        0 => TimeZoneInfo.Utc,
        LocalZone => TimeZoneInfo.Local,
        _ => (TimeZoneInfo)shard.Handles.Get(zone)!,
    };

    public static DateTimeOffset ToOffset(LuaShard shard, TimeUserdata t)
    {
        var utc = new DateTimeOffset(DateTimeOffset.UnixEpoch.UtcTicks + t.UnixNanos / 100, TimeSpan.Zero);
        return t.Location == 0 ? utc : TimeZoneInfo.ConvertTime(utc, Zone(shard, t.Location));
    }

    public static string ZoneName(LuaShard shard, int zone, DateTimeOffset at)
    {
        if (zone == 0) return "UTC";
        var info = Zone(shard, zone);
        if (zone != LocalZone && info.Id == info.StandardName && !info.SupportsDaylightSavingTime) return info.Id;   // a fixed zone: its name
        var name = info.IsDaylightSavingTime(at) ? info.DaylightName : info.StandardName;
        return name.Length is > 0 and <= 5 ? name : at.Offset == TimeSpan.Zero ? "UTC" : GoTimeLayout.Format(at, "-07", "");
    }

    public static void RegisterTimeMethods(Primitives.Registrar p)
    {
        p.Add("add", &Add);
        p.Add("sub", &Sub);
        p.Add("add_date", &AddDate);
        p.Add("after", &After);
        p.Add("before", &Before);
        p.Add("equal", &Equal);
        p.Add("format", &Format);
        p.Add("format_rfc3339", &FormatRfc3339);
        p.Add("unix", &Unix);
        p.Add("unix_nano", &UnixNano);
        p.Add("date", &Date);
        p.Add("clock", &Clock);
        p.Add("year", &Year);
        p.Add("month", &Month);
        p.Add("day", &Day);
        p.Add("hour", &Hour);
        p.Add("minute", &Minute);
        p.Add("second", &Second);
        p.Add("nanosecond", &Nanosecond);
        p.Add("weekday", &Weekday);
        p.Add("year_day", &YearDay);
        p.Add("is_zero", &IsZero);
        p.Add("in_location", &InLocation);
        p.Add("location", &Location);
        p.Add("utc", &Utc);
        p.Add("in_local", &InLocal);
        p.Add("round", &Round);
        p.Add("truncate", &Truncate);
    }

    public static void RegisterDurationMethods(Primitives.Registrar p)
    {
        p.Add("nanoseconds", &Nanoseconds);
        p.Add("microseconds", &Microseconds);
        p.Add("milliseconds", &Milliseconds);
        p.Add("seconds", &Seconds);
        p.Add("minutes", &Minutes);
        p.Add("hours", &Hours);
    }

    private static TimeUserdata* Self(LuaCall call, string method, out int error)
    {
        var t = At(call, 1);
        error = t == null ? call.Raise($"bad argument #1 to '{method}' (time expected)") : 0;
        return t;
    }

    private static int Local(LuaCall call, string method, Func<DateTimeOffset, long> part)
    {
        var t = Self(call, method, out int error);
        if (t == null) return error;
        lua_pushinteger(call.L, part(ToOffset(call.Shard, *t)));
        return 1;
    }

    private static int Add(LuaCall call)
    {
        var t = Self(call, "add", out int error);
        if (t == null) return error;
        if (!TimePrimitives.TryDuration(call, 2, out long ns, out string why)) return call.Raise($"bad argument #2 to 'add' ({why})");
        PushTime(call.Shard, call.L, t->UnixNanos + ns, t->Location);
        return 1;
    }

    private static int Sub(LuaCall call)
    {
        var t = Self(call, "sub", out int error);
        if (t == null) return error;
        var u = At(call, 2);
        if (u == null) return call.Raise("bad argument #2 to 'sub' (time expected)");
        PushDuration(call.Shard, call.L, t->UnixNanos - u->UnixNanos);
        return 1;
    }

    private static int AddDate(LuaCall call)
    {
        var t = Self(call, "add_date", out int error);
        if (t == null) return error;
        var local = ToOffset(call.Shard, *t);
        var moved = local.AddYears((int)(ToInteger(call.L, 2) ?? 0)).AddMonths((int)(ToInteger(call.L, 3) ?? 0))
            .AddDays(ToInteger(call.L, 4) ?? 0);
        PushTime(call.Shard, call.L, UnixNanos(moved), t->Location);
        return 1;
    }

    private static int Relation(LuaCall call, string method, Func<long, long, bool> test)
    {
        var t = Self(call, method, out int error);
        if (t == null) return error;
        var u = At(call, 2);
        if (u == null) return call.Raise($"bad argument #2 to '{method}' (time expected)");
        lua_pushboolean(call.L, test(t->UnixNanos, u->UnixNanos) ? 1 : 0);
        return 1;
    }

    private static int After(LuaCall call) => Relation(call, "after", static (a, b) => a > b);
    private static int Before(LuaCall call) => Relation(call, "before", static (a, b) => a < b);
    private static int Equal(LuaCall call) => Relation(call, "equal", static (a, b) => a == b);

    private static int Format(LuaCall call)
    {
        var t = Self(call, "format", out int error);
        if (t == null) return error;
        var layout = call.TextOrNumber(2);
        if (layout is null) return call.ArgError(2, "format", "string");
        var local = ToOffset(call.Shard, *t);
        PushString(call.L, GoTimeLayout.Format(local, layout, ZoneName(call.Shard, t->Location, local)));
        return 1;
    }

    private static int FormatRfc3339(LuaCall call)
    {
        var t = Self(call, "format_rfc3339", out int error);
        if (t == null) return error;
        var local = ToOffset(call.Shard, *t);
        PushString(call.L, GoTimeLayout.Format(local, "2006-01-02T15:04:05Z07:00", ""));
        return 1;
    }

    private static int Unix(LuaCall call)
    {
        var t = Self(call, "unix", out int error);
        if (t == null) return error;
        lua_pushinteger(call.L, (long)Math.Floor(t->UnixNanos / 1e9));
        return 1;
    }

    private static int UnixNano(LuaCall call)
    {
        var t = Self(call, "unix_nano", out int error);
        if (t == null) return error;
        lua_pushinteger(call.L, t->UnixNanos);
        return 1;
    }

    private static int Date(LuaCall call)
    {
        var t = Self(call, "date", out int error);
        if (t == null) return error;
        var local = ToOffset(call.Shard, *t);
        lua_pushinteger(call.L, local.Year);
        lua_pushinteger(call.L, local.Month);
        lua_pushinteger(call.L, local.Day);
        return 3;
    }

    private static int Clock(LuaCall call)
    {
        var t = Self(call, "clock", out int error);
        if (t == null) return error;
        var local = ToOffset(call.Shard, *t);
        lua_pushinteger(call.L, local.Hour);
        lua_pushinteger(call.L, local.Minute);
        lua_pushinteger(call.L, local.Second);
        return 3;
    }

    private static int Year(LuaCall call) => Local(call, "year", static t => t.Year);
    private static int Month(LuaCall call) => Local(call, "month", static t => t.Month);
    private static int Day(LuaCall call) => Local(call, "day", static t => t.Day);
    private static int Hour(LuaCall call) => Local(call, "hour", static t => t.Hour);
    private static int Minute(LuaCall call) => Local(call, "minute", static t => t.Minute);
    private static int Second(LuaCall call) => Local(call, "second", static t => t.Second);
    private static int Nanosecond(LuaCall call) => Local(call, "nanosecond", static t => t.Ticks % TimeSpan.TicksPerSecond * 100);
    private static int Weekday(LuaCall call) => Local(call, "weekday", static t => (long)t.DayOfWeek);
    private static int YearDay(LuaCall call) => Local(call, "year_day", static t => t.DayOfYear);

    private static int IsZero(LuaCall call)
    {
        var t = Self(call, "is_zero", out int error);
        if (t == null) return error;
        lua_pushboolean(call.L, t->UnixNanos == ZeroTime ? 1 : 0);
        return 1;
    }

    private static int InZone(LuaCall call, string method, int zone)
    {
        var t = Self(call, method, out int error);
        if (t == null) return error;
        PushTime(call.Shard, call.L, t->UnixNanos, zone);
        return 1;
    }

    private static int InLocation(LuaCall call)
    {
        int zone = ZoneAt(call, 2);
        return zone == NoZone ? call.Raise("bad argument #2 to 'in_location' (location expected)") : InZone(call, "in_location", zone);
    }

    private static int Utc(LuaCall call) => InZone(call, "utc", 0);
    private static int InLocal(LuaCall call) => InZone(call, "in_local", LocalZone);

    private static int Location(LuaCall call)
    {
        var t = Self(call, "location", out int error);
        if (t == null) return error;
        PushLocation(call.Shard, call.L, t->Location);
        return 1;
    }

    private static int RoundTo(LuaCall call, string method, bool round)
    {
        var t = Self(call, method, out int error);
        if (t == null) return error;
        var d = Userdata.As<ValueUserdata>(call.L, 2, UserdataTag.Duration);
        if (d == null) return call.Raise($"bad argument #2 to '{method}' (duration expected)");
        long unit = d->Value, since = t->UnixNanos - ZeroTime;
        if (unit <= 0)
        {
            PushTime(call.Shard, call.L, t->UnixNanos, t->Location);
            return 1;
        }
        long rest = since % unit;
        long result = round && rest + rest >= unit ? t->UnixNanos - rest + unit : t->UnixNanos - rest;
        PushTime(call.Shard, call.L, result, t->Location);
        return 1;
    }

    private static int Round(LuaCall call) => RoundTo(call, "round", round: true);
    private static int Truncate(LuaCall call) => RoundTo(call, "truncate", round: false);

    private static int Unit(LuaCall call, double nanosecondsPerUnit, bool integer)
    {
        var d = Userdata.As<ValueUserdata>(call.L, 1, UserdataTag.Duration);
        if (d == null) return call.Raise("bad argument #1 (duration expected)");
        if (integer) lua_pushinteger(call.L, (long)(d->Value / nanosecondsPerUnit));
        else lua_pushnumber(call.L, d->Value / nanosecondsPerUnit);
        return 1;
    }

    private static int Nanoseconds(LuaCall call) => Unit(call, 1, integer: true);
    private static int Microseconds(LuaCall call) => Unit(call, 1e3, integer: true);
    private static int Milliseconds(LuaCall call) => Unit(call, 1e6, integer: true);
    private static int Seconds(LuaCall call) => Unit(call, 1e9, integer: false);
    private static int Minutes(LuaCall call) => Unit(call, 60e9, integer: false);
    private static int Hours(LuaCall call) => Unit(call, 3600e9, integer: false);
}
