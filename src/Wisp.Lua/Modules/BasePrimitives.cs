using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using static Wisp.Lua.Native.LuaApi;

namespace Wisp.Lua;

/// <summary>
/// Primitives under the prelude's own machinery and the standard globals: print (to the log at info, as the
/// reference), the copy-on-write of libraries, preemption, userdata collection, and the os functions that the C
/// library would do unsafely across threads (date, time).
/// </summary>
internal static unsafe class BasePrimitives
{
    private static readonly long Started = Stopwatch.GetTimestamp();

    public static void Register(Primitives.Registrar p)
    {
        p.Add("print", &Print);
        p.Add("raw_setmetatable", &RawSetMetatable);
        p.Add("take_preempt", &TakePreempt);
        p.Add("ending", &Ending);
        p.Add("co_resume", &CoResume);
        p.Add("handle_gc", &HandleGc);
        p.Add("string_changed", &StringChanged);
        p.Add("frexp", &Frexp);
        p.Add("os_time", &OsTime);
        p.Add("os_date", &OsDate);
        p.Add("os_clock", &OsClock);
    }

    /// <summary>
    /// print(...): one log entry at info with the arguments joined by spaces; as in the reference, only strings and
    /// numbers print, other values are empty.
    /// </summary>
    private static int Print(LuaCall call)
    {
        var text = new StringBuilder();
        for (int i = 1; i <= call.Count; i++)
        {
            if (i > 1) text.Append(' ');
            text.Append(call.TextOrNumber(i));
        }
        if (call.HasProcess) call.Process.Context.Logger.LogInformation("{message}", text.ToString());
        return 0;
    }

    private static int RawSetMetatable(LuaCall call)
    {
        if (call.Type(1) != TTable) return 0;
        lua_settop(call.L, 2);
        lua_setmetatable(call.L, 1);
        return 0;
    }

    /// <summary>Whether the watchdog is ending the running slice (see LuaShard.Ending).</summary>
    private static int Ending(LuaCall call)
    {
        lua_pushboolean(call.L, call.Shard.Ending ? 1 : 0);
        return 1;
    }

    private static int TakePreempt(LuaCall call)
    {
        bool preempted = call.Shard.Preempted;
        call.Shard.Preempted = false;
        lua_pushboolean(call.L, preempted ? 1 : 0);
        return 1;
    }

    /// <summary>
    /// coroutine.resume(co, ...) as the standard library does it (lcorolib.c auxresume: the same results and errors),
    /// with the shard told which thread runs, so that the preemption watchdog reaches a busy loop inside a
    /// coroutine. The prelude checks that <c>co</c> is a thread.
    /// </summary>
    private static int CoResume(LuaCall call)
    {
        nint L = call.L, co = lua_tothread(L, 1);
        int nargs = lua_gettop(L) - 1;
        if (lua_checkstack(co, nargs) == 0) return ResumeFailed(L, "too many arguments to resume");
        lua_xmove(L, co, nargs);
        var shard = call.Shard;
        var ledger = shard.Ledger;
        nint outer = shard.EnterCoroutine(co);
        if (ledger is not null) ledger.MayFail = true;   // a failed allocation unwinds to this lua_resume, below this frame
        int status, nres;
        try
        {
            status = lua_resume(co, L, nargs, out nres);
        }
        finally
        {
            if (ledger is not null) ledger.MayFail = false;
            shard.LeaveCoroutine(outer);
        }
        if (status is not (Ok or Yield))
        {
            lua_xmove(co, L, 1);   // the message first: co may be L itself (a coroutine resuming itself)
            lua_pushboolean(L, 0);
            lua_rotate(L, -2, 1);
            return 2;
        }
        if (lua_checkstack(L, nres + 1) == 0)
        {
            lua_settop(co, -nres - 1);
            return ResumeFailed(L, "too many results to resume");
        }
        lua_pushboolean(L, 1);
        lua_xmove(co, L, nres);
        return nres + 1;
    }

    private static int ResumeFailed(nint L, string message)
    {
        lua_pushboolean(L, 0);
        PushString(L, message);
        return 2;
    }

    /// <summary>__gc of handle userdata: the C# object it stood for is let go.</summary>
    private static int HandleGc(LuaCall call)
    {
        if (Userdata.TagOf(call.L, 1) is UserdataTag.Channel or UserdataTag.Timer or UserdataTag.Ticker)
            call.Shard.Handles.Free(((HandleUserdata*)lua_touserdata(call.L, 1))->Handle);
        return 0;
    }

    /// <summary>The current process changed its string library: string methods must follow it while it runs.</summary>
    private static int StringChanged(LuaCall call)
    {
        if (!call.HasProcess || call.Type(1) != TTable) return 0;
        lua_pushvalue(call.L, 1);
        call.Process.SetStringLibrary(luaL_ref(call.L, RegistryIndex));
        return 0;
    }

    private static int Frexp(LuaCall call)
    {
        if (ToNumber(call.L, 1) is not { } x) return call.ArgError(1, "frexp", "number");
        if (x == 0 || !double.IsFinite(x))
        {
            lua_pushnumber(call.L, x);
            lua_pushinteger(call.L, 0);
            return 2;
        }
        int exponent = (int)Math.Floor(Math.Log2(Math.Abs(x))) + 1;
        double mantissa = x / Math.Pow(2, exponent);
        if (Math.Abs(mantissa) >= 1)
        {
            mantissa /= 2;
            exponent++;
        }
        lua_pushnumber(call.L, mantissa);
        lua_pushinteger(call.L, exponent);
        return 2;
    }

    /// <summary>os.time([t]): the current Unix time, or the time of a date table (local time, as C's mktime).</summary>
    private static int OsTime(LuaCall call)
    {
        if (IsNoneOrNil(call.L, 1))
        {
            lua_pushinteger(call.L, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            return 1;
        }
        if (call.Type(1) != TTable) return call.ArgError(1, "time", "table");
        nint L = call.L;
        int Field(string name, int? fallback)
        {
            PushString(L, name);
            lua_rawget(L, 1);
            long? value = ToInteger(L, -1);
            Pop(L, 1);
            return value is { } v ? (int)v : fallback ?? throw new WispException(ErrorKind.Invalid, $"field '{name}' missing in date table");
        }
        try
        {
            var local = new DateTime(Field("year", null), 1, 1, 0, 0, 0, DateTimeKind.Unspecified)
                .AddMonths(Field("month", null) - 1).AddDays(Field("day", null) - 1)
                .AddHours(Field("hour", 12)).AddMinutes(Field("min", 0)).AddSeconds(Field("sec", 0));
            var offset = TimeZoneInfo.Local.GetUtcOffset(local);
            lua_pushinteger(call.L, new DateTimeOffset(local, offset).ToUnixTimeSeconds());
            return 1;
        }
        catch (ArgumentOutOfRangeException)
        {
            return call.Raise("time result cannot be represented in this installation");
        }
    }

    /// <summary>os.date([format[, t]]): strftime formats, "*t" a table; a leading "!" means UTC.</summary>
    private static int OsDate(LuaCall call)
    {
        string format = IsNoneOrNil(call.L, 1) ? "%c" : call.TextOrNumber(1) ?? "%c";
        long seconds = IsNoneOrNil(call.L, 2) ? DateTimeOffset.UtcNow.ToUnixTimeSeconds()
            : ToInteger(call.L, 2) ?? (long)(ToNumber(call.L, 2) ?? 0);
        var utc = DateTimeOffset.FromUnixTimeSeconds(seconds);
        bool inUtc = format.StartsWith('!');
        if (inUtc) format = format[1..];
        var when = inUtc ? utc : TimeZoneInfo.ConvertTime(utc, TimeZoneInfo.Local);
        if (format.StartsWith("*t", StringComparison.Ordinal))
        {
            nint L = call.L;
            lua_createtable(L, 0, 9);
            void Set(string key, long value)
            {
                PushString(L, key);
                lua_pushinteger(L, value);
                lua_rawset(L, -3);
            }
            Set("year", when.Year);
            Set("month", when.Month);
            Set("day", when.Day);
            Set("hour", when.Hour);
            Set("min", when.Minute);
            Set("sec", when.Second);
            Set("wday", (int)when.DayOfWeek + 1);
            Set("yday", when.DayOfYear);
            PushString(call.L, "isdst");
            lua_pushboolean(call.L, !inUtc && TimeZoneInfo.Local.IsDaylightSavingTime(when) ? 1 : 0);
            lua_rawset(call.L, -3);
            return 1;
        }
        PushString(call.L, Strftime.Format(format, when));
        return 1;
    }

    /// <summary>os.clock(): seconds since the runtime started, as the reference's.</summary>
    private static int OsClock(LuaCall call)
    {
        lua_pushnumber(call.L, Stopwatch.GetElapsedTime(Started).TotalSeconds);
        return 1;
    }
}

/// <summary>C's strftime conversions that os.date takes, in the C locale.</summary>
internal static class Strftime
{
    public static string Format(string format, DateTimeOffset t)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        for (int i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                text.Append(format[i]);
                continue;
            }
            char f = format[++i];
            text.Append(f switch
            {
                'a' => t.ToString("ddd", c),
                'A' => t.ToString("dddd", c),
                'b' or 'h' => t.ToString("MMM", c),
                'B' => t.ToString("MMMM", c),
                'c' => t.ToString("ddd MMM ", c) + t.Day.ToString(c).PadLeft(2) + t.ToString(" HH:mm:ss yyyy", c),
                'd' => t.ToString("dd", c),
                'e' => t.Day.ToString(c).PadLeft(2),
                'D' => t.ToString("MM/dd/yy", c),
                'F' => t.ToString("yyyy-MM-dd", c),
                'H' => t.ToString("HH", c),
                'I' => t.ToString("hh", c),
                'j' => t.DayOfYear.ToString("000", c),
                'm' => t.ToString("MM", c),
                'M' => t.ToString("mm", c),
                'n' => "\n",
                'p' => t.Hour < 12 ? "AM" : "PM",
                'S' => t.ToString("ss", c),
                't' => "\t",
                'T' or 'X' => t.ToString("HH:mm:ss", c),
                'x' => t.ToString("MM/dd/yy", c),
                'y' => t.ToString("yy", c),
                'Y' => t.Year.ToString(c),
                'w' => ((int)t.DayOfWeek).ToString(c),
                'u' => (t.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)t.DayOfWeek).ToString(c),
                'z' => (t.Offset < TimeSpan.Zero ? "-" : "+") + t.Offset.ToString("hhmm", c),
                'Z' => t.Offset == TimeSpan.Zero ? "UTC" : TimeZoneInfo.Local.StandardName,
                's' => t.ToUnixTimeSeconds().ToString(c),
                '%' => "%",
                _ => "%" + f,
            });
        }
        return text.ToString();
    }
}
