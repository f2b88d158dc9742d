using System.Diagnostics;
using System.Runtime.InteropServices;
using static Wisp.Lua.Native.LuaApi;

namespace Wisp.Lua.Native;

/// <summary>
/// Preemption of a busy Lua process, the way Go's sysmon preempts a goroutine: while processes behave no hook is
/// set (a count hook sends every VM instruction through the hook's check, a tax on all Lua code); one watchdog
/// thread per runtime looks at its shards every <see cref="Period"/>, and when one slice of a shard has run for
/// <see cref="SliceLimit"/> it sets a one-shot count hook on the Lua thread running there. The hook yields (from a
/// hook, lua_yield returns normally: no jump crosses a managed frame) and removes itself; the process's driver
/// sees an empty yield and queues the process behind the others. Where Lua cannot yield (inside a C function such
/// as table.sort's comparator) the hook re-arms itself a few instructions later; a slice that goes on that way for
/// <see cref="_endLimit"/> after the hook first fired is ended: every thread it runs gets a hook that is
/// <c>lua_error</c> itself (a C function, so the error unwinds C frames only, never a managed one), which raises at
/// each instruction until the error has left every pcall, and the process fails (<see cref="LuaShard.Ending"/>).
///
/// Invariants:
/// - a shard's running thread (<see cref="LuaShard.BeginSlice"/>) is the lua_State inside lua_resume on the
///   shard's thread, or 0; it changes only under the shard's slice lock, and the watchdog sets a hook only on it
///   and only under that lock, so it never touches a thread that has stopped running (and may be closed or reused);
/// - setting the hook races only with that thread's own VM, as lua.c's SIGINT handler does: Lua reads the hook
///   fields atomically and checks the hook before each call (ldebug.c, lua_sethook); a hook left on a thread that
///   stopped meanwhile costs that thread one early preemption, nothing else;
/// - the hook has a second caller: Lua's pattern matcher (long-match.patch) calls it with no debug record (NULL),
///   outside the VM's hook machinery, from a C function that cannot yield; every hook set on a Wisp thread accepts
///   that (<see cref="Hook"/> notes the slice; <c>lua_error</c> raises; scripts have no debug library to set another).
/// </summary>
internal sealed unsafe class Preemption : IDisposable
{
    /// <summary>How long one slice of a Lua process may run before the watchdog preempts it.</summary>
    public static readonly TimeSpan SliceLimit = TimeSpan.FromMilliseconds(10);

    /// <summary>How often the watchdog looks: a busy slice is preempted after 10 to 15 ms.</summary>
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(5);

    private const int RetryEvery = 1000;   // instructions until a hook that could not yield tries again

    private readonly long _endLimit;
    private readonly object _gate = new();
    private readonly ManualResetEventSlim _stopping = new();
    private LuaShard[] _shards = [];
    private Thread? _thread;
    private bool _stopped;

    /// <param name="maxUnpreemptible">How long a slice may run where it cannot yield before its process is ended.</param>
    public Preemption(TimeSpan maxUnpreemptible) => _endLimit = (long)(maxUnpreemptible.TotalSeconds * Stopwatch.Frequency);

    public void Add(LuaShard shard)
    {
        lock (_gate)
        {
            if (_stopped) return;
            _shards = [.. _shards, shard];
            if (_thread is null)
            {
                _thread = new Thread(Watch) { IsBackground = true, Name = "wisp-lua-preemption" };
                _thread.Start();
            }
        }
    }

    public void Remove(LuaShard shard)
    {
        lock (_gate) _shards = _shards.Where(s => s != shard).ToArray();
    }

    private void Watch()
    {
        long limit = (long)(SliceLimit.TotalSeconds * Stopwatch.Frequency);
        while (!_stopping.Wait(Period))
        {
            long now = Stopwatch.GetTimestamp();
            foreach (var shard in Volatile.Read(ref _shards)) shard.PreemptIfOverdue(now, limit, _endLimit);
        }
    }

    /// <summary>Arms the hook on <paramref name="thread"/> (the caller holds its shard's slice lock).</summary>
    public static void Arm(nint thread) => lua_sethook(thread, &Hook, MaskCount, 1);

    private static delegate* unmanaged<nint, nint, void> _raise;

    /// <summary>
    /// Makes every instruction of <paramref name="thread"/> raise an error: the hook is <c>lua_error</c>, called as a
    /// hook (L, ar) where it takes (L), which the C calling convention allows; it raises the value on top of the
    /// stack, which the driver replaces with the error it reports (the caller holds the shard's slice lock, or runs
    /// on the shard's thread).
    /// </summary>
    public static void ArmEnd(nint thread)
    {
        if (_raise == null) _raise = (delegate* unmanaged<nint, nint, void>)NativeLua.Export("lua_error");
        lua_sethook(thread, _raise, MaskCount, 1);
    }

    /// <summary>Removes any hook from <paramref name="thread"/> (one that is about to be reused).</summary>
    public static void Disarm(nint thread) => lua_sethook(thread, null, 0, 0);

    [UnmanagedCallersOnly]
    private static void Hook(nint L, nint debug)
    {
        try
        {
            var shard = LuaShard.Of(L);
            shard.HookFired = true;
            if (debug == 0) return;   // a long pattern match calling from C (long-match.patch): it cannot yield there
            if (lua_isyieldable(L) == 0)
            {
                if (shard.Ending) ArmEnd(L);
                else lua_sethook(L, &Hook, MaskCount, RetryEvery);
                return;
            }
            lua_sethook(L, null, 0, 0);
            shard.Preempted = true;
            lua_yieldk(L, 0, 0, 0);
        }
        catch
        {
            // nothing may escape into Lua's C frames; a missed preemption only delays the next one
        }
    }

    public void Dispose()
    {
        Thread? thread;
        lock (_gate)
        {
            if (_stopped) return;
            _stopped = true;
            _stopping.Set();
            thread = _thread;
            _shards = [];
        }
        thread?.Join();
        _stopping.Dispose();
    }
}
