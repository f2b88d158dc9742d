using System.Text;
using Microsoft.Extensions.Logging;
using Wisp.Lua.Native;
using static Wisp.Lua.Native.LuaApi;

namespace Wisp.Lua;

/// <summary>
/// A Lua process: a Wisp process whose main and coroutines are Lua threads of its shard. Each Lua thread is
/// driven by a C# coroutine of the process (<see cref="Drive"/>): it resumes the thread, and when the thread yields
/// a request (TAG, op) it does what was asked on the process's loop (waits for a pending operation, yields the
/// slice, starts a coroutine) and resumes it with the results.
///
/// Invariants:
/// - everything here runs on the process's loop, which runs on the shard's thread: the state is never touched
///   from elsewhere;
/// - <see cref="RecordRef"/> anchors the process's record (its environment, loaded modules, channels) and
///   <see cref="_mainRef"/> its main thread from <see cref="Open"/> until <see cref="Close"/>, which runs once, by
///   the exit hook, on every path out of the process (the main thread then goes back to the shard, reset, for
///   another process); a coroutine's thread is anchored while its driver lives or until the close;
/// - <see cref="_pending"/> carries a blocking operation from the primitive that started it to the driver that
///   resumed the thread (<see cref="PendingOperation.Driver"/>, the thread that driver resumes: the caller's own, or the one
///   whose user coroutines forward the yield): it is set just before the OP_WAIT yield and taken when the yield
///   reaches that driver. The watchdog's hook can preempt in between, and another coroutine of the process can then
///   start an operation of its own: the first one is parked by its driver's thread (<see cref="_parked"/>) until
///   that driver's yield comes, so no coroutine ever takes another's operation.
/// </summary>
internal sealed class LuaProcess
{
    public const int OpWait = 1, OpYield = 2, OpSpawn = 3;

    private readonly LuaProcessDefinition _definition;
    private PendingOperation? _pending;
    private nint _driving;      // the thread the running driver resumed (0 between resumes)
    private Dictionary<nint, PendingOperation>? _parked;   // operations whose thread was preempted before its yield
    private List<int>? _coroutines;
    private int _mainRef;       // registry reference anchoring the main thread
    private int _inflight;      // registry reference of the table of values in Lua channels, made on first use
    private long _nextInflight;
    private int _resuming;      // resumes in progress (close waits for none)
    private bool _closeWanted;
    private bool _closed;
    private bool _sliceEnded;   // the last slice was ended by the watchdog (see LuaShard.Ending)
    private Pid? _pid;

    public LuaProcess(LuaShard shard, LuaProcessDefinition definition, ProcessContext context)
    {
        Shard = shard;
        _definition = definition;
        Context = context;
    }

    public LuaShard Shard { get; }
    public ProcessContext Context { get; }   // default in a probe that only loads the code
    public string EntryId => _definition.Id;
    public int Slot { get; private set; }
    public int RecordRef { get; private set; }
    public nint Main { get; private set; }
    public int StringLibrary { get; private set; }
    public long MaxPayloadBytes => _definition.Engine.Options.MaxPayloadBytes;

    /// <summary>This process's PID, made once.</summary>
    public Pid Pid => _pid ??= Context.Pid;

    /// <summary>Takes a memory slot, makes the record and the main thread, and makes this process current.</summary>
    public void Open(long memoryLimit)
    {
        nint L = Shard.L;
        if (Shard.Ledger is { } ledger)
        {
            Slot = ledger.Acquire(memoryLimit);
            ledger.Current = Slot;
        }
        lua_createtable(L, 0, 8);
        RecordRef = luaL_ref(L, RegistryIndex);
        (Main, _mainRef) = Shard.RentThread();
        Shard.MakeCurrent(this);
    }

    /// <summary>Lets go of everything the process holds in the state (the exit hook; a second call does nothing).</summary>
    public void Close()
    {
        if (_closed) return;
        if (_resuming > 0)
        {
            _closeWanted = true;   // the driver closes once the thread is back
            return;
        }
        _closed = true;
        nint L = Shard.L;
        if (Shard.Current == this) Shard.MakeCurrent(null);
        if (_coroutines is not null)
            foreach (int thread in _coroutines) luaL_unref(L, RegistryIndex, thread);
        _coroutines = null;
        if (_inflight != 0) luaL_unref(L, RegistryIndex, _inflight);
        if (StringLibrary != 0)
        {
            luaL_unref(L, RegistryIndex, StringLibrary);
            Shard.StringOverrides--;
        }
        luaL_unref(L, RegistryIndex, RecordRef);
        Shard.ReturnThread(Main, _mainRef, _sliceEnded);
        Shard.Ledger?.Release(Slot);
        Main = 0;
    }

    /// <summary>The process changed its string library (to <paramref name="library"/>, a registry reference).</summary>
    public void SetStringLibrary(int library)
    {
        if (StringLibrary != 0) luaL_unref(Shard.L, RegistryIndex, StringLibrary);
        else Shard.StringOverrides++;
        StringLibrary = library;
        Shard.InstallString(library);
    }

    /// <summary>Hands a blocking operation to the driver that resumed the calling thread (see the invariants).</summary>
    public int Suspend(nint L, PendingOperation operation)
    {
        if (_pending is { } earlier && earlier.Driver != _driving) (_parked ??= [])[earlier.Driver] = earlier;
        operation.Driver = _driving;
        _pending = operation;
        LuaShard.PushWait(L);
        return 1;
    }

    /// <summary>The operation <paramref name="T"/> yielded OP_WAIT for.</summary>
    private PendingOperation TakePending(nint T)
    {
        if (_pending is { } pending && pending.Driver == T)
        {
            _pending = null;
            return pending;
        }
        if (_parked is not null && _parked.Remove(T, out var parked)) return parked;
        throw new InvalidOperationException("a Lua thread waits for no operation");
    }

    // ---- main ----

    /// <summary>
    /// Main: runs the script's top level and its method with <paramref name="args"/>; returns the exit value, or
    /// a <see cref="ProcessError"/> for an error exit (the reference's rules: a second result that is a string or an
    /// error object is an error).
    /// </summary>
    public async Task<object?> RunMain(object?[] args, int factory, int allowed, int imports, string method)
    {
        nint T = Main;
        PushStart(T, factory, allowed, imports, method, checkOnly: false);
        int nargs = 7;
        foreach (var arg in args)
        {
            LuaValues.Push(Shard, T, arg);
            nargs++;
        }
        var failure = await Drive(T, nargs);
        if (failure is not null) return failure;
        return ExitValue(T);
    }

    /// <summary>Pushes the prelude's start function and its first arguments onto <paramref name="T"/>.</summary>
    public void PushStart(nint T, int factory, int allowed, int imports, string method, bool checkOnly)
    {
        lua_checkstack(T, 9);
        lua_rawgeti(T, RegistryIndex, Shard.Start);
        lua_rawgeti(T, RegistryIndex, RecordRef);
        PushString(T, EntryId);
        lua_rawgeti(T, RegistryIndex, allowed);
        if (imports == 0) lua_pushnil(T);
        else lua_rawgeti(T, RegistryIndex, imports);
        lua_rawgeti(T, RegistryIndex, factory);
        PushString(T, method);
        lua_pushboolean(T, checkOnly ? 1 : 0);
    }

    /// <summary>
    /// Runs the script's top level and looks for its method, without running it (the spawn-time check, in the
    /// validation shard): null when the script loads and has the method, else the error. Top-level code may not
    /// wait (there is no process yet), and may not run for longer than <paramref name="maxTime"/>.
    /// </summary>
    public ProcessError? Check(int factory, int allowed, int imports, string method, TimeSpan maxTime)
    {
        nint T = Main;
        PushStart(T, factory, allowed, imports, method, checkOnly: true);
        int nargs = 7;
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (true)
        {
            int status = Resume(T, nargs, out int nres);
            nargs = 0;
            if (_sliceEnded) return TooLong();
            if (status == Ok) return null;
            if (status != LuaApi.Yield) return ErrorOf(T, status);
            if (nres > 0 && LuaShard.IsTag(T, -nres))
                return new ProcessError("the script's top level waits (a sleep, a receive, a spawn of a coroutine): there is no process yet when it runs; move that into a function",
                    ErrorKind.Invalid);
            if (System.Diagnostics.Stopwatch.GetElapsedTime(started) >= maxTime) return TooLong();
            Pop(T, nres);
        }

        ProcessError TooLong() =>
            new($"the script's top level did not finish within {maxTime.TotalSeconds:0.#} s (an endless loop?)", ErrorKind.Invalid);
    }

    private object? ExitValue(nint T)
    {
        int n = lua_gettop(T);
        if (n == 0) return null;
        if (n >= 2)
        {
            if (lua_type(T, 2) == TString) return new ProcessError(ToText(T, 2)!);
            if (Userdata.TagOf(T, 2) == UserdataTag.Error)
                return ErrorValues.Read(T, 2, index => LuaValues.ToNeutral(Shard, T, index, MaxPayloadBytes));
        }
        try
        {
            return LuaValues.ToNeutral(Shard, T, 1, MaxPayloadBytes);
        }
        catch (WispException e)
        {
            return new ProcessError($"the exit value cannot leave the process: {e.Message}", e.Kind);
        }
    }

    // ---- the driver ----

    /// <summary>
    /// Resumes <paramref name="T"/> until it ends: null when it returned (its results are on its stack), or the
    /// error it failed with (logged with its traceback). Requests it yields are served on the loop in between.
    /// </summary>
    private async ValueTask<ProcessError?> Drive(nint T, int nargs)
    {
        while (true)
        {
            if (_closed) throw new ProcessExitedException(Context.Pid);   // it ended while this thread waited
            int status = Resume(T, nargs, out int nres);
            nargs = 0;
            if (Shard.Ledger?.TakeExceeded(Slot) == true) return Failed(T, MemoryExceeded(), traceback: false);
            if (_sliceEnded) return Failed(T, Unpreemptible(), traceback: false);
            if (status == Ok) return null;
            if (status != LuaApi.Yield) return Failed(T, ErrorOf(T, status), traceback: true);
            if (nres == 0 || !LuaShard.IsTag(T, -nres))
            {
                // An empty yield is a preemption by the watchdog's hook, or a coroutine.yield() at the top of a thread;
                // a yield with values there is cooperative too (the values have nobody to go to). Only the yielded
                // values are popped: after a yield from the hook the API frame is the interrupted Lua function's,
                // whose registers must stay (truncating them let the collector free live values).
                Pop(T, nres);
                Shard.Preempted = false;
                await Context.YieldSlice();
                continue;
            }
            int op = (int)(ToInteger(T, -nres + 1) ?? 0);
            switch (op)
            {
                case OpWait:
                    Pop(T, nres);
                    var pending = TakePending(T);
                    if (pending is PendingSelect select)
                    {
                        try
                        {
                            select.Complete(await select.Task);
                        }
                        catch (ChannelClosedException e)
                        {
                            select.Fail(e);
                        }
                    }
                    else await pending.Wait();
                    if (_closed) throw new ProcessExitedException(Context.Pid);
                    nargs = pending.PushResults(T);
                    break;
                case OpYield:
                    Pop(T, nres);
                    await Context.YieldSlice();
                    break;
                case OpSpawn:
                    // The function is the last value; the new coroutine runs first, until its first wait.
                    int coroutine = StartCoroutine(T);
                    if (_closed) throw new ProcessExitedException(Context.Pid);   // the coroutine failed the process at once
                    Pop(T, nres - 1);   // the function has moved to the new thread
                    lua_rawgeti(T, RegistryIndex, coroutine);
                    nargs = 1;
                    break;
                default:
                    throw new InvalidOperationException($"unknown Lua loop request {op}");
            }
        }
    }

    private int Resume(nint T, int nargs, out int nres)
    {
        // A state touched by two threads corrupts its memory: refuse instead (cheap: a thread id compare).
        if (Shard.Scheduler is { IsRunningHere: false })
            throw new InvalidOperationException($"the Lua state of {EntryId} resumed off its shard's thread");
        Shard.MakeCurrent(this);
        _resuming++;
        var ledger = Shard.Ledger;
        if (ledger is not null) ledger.MayFail = true;
        int status;
        var driving = _driving;
        _driving = T;
        Shard.BeginSlice(T);
        try
        {
            status = lua_resume(T, 0, nargs, out nres);
        }
        finally
        {
            _driving = driving;
            _sliceEnded = Shard.EndSlice();
            if (ledger is not null) ledger.MayFail = false;
            _resuming--;
        }
        if (_closeWanted) Close();
        return status;
    }

    /// <summary>Moves the function on top of <paramref name="T"/> to a new thread and starts its driver as a coroutine of the process.</summary>
    private int StartCoroutine(nint T)
    {
        nint L = Shard.L;
        nint thread = lua_newthread(L);
        int reference = luaL_ref(L, RegistryIndex);
        (_coroutines ??= []).Add(reference);
        lua_xmove(T, thread, 1);
        Context.Go(() => RunCoroutine(thread, reference));
        return reference;
    }

    private async Task RunCoroutine(nint thread, int reference)
    {
        var failure = await Drive(thread, 0);
        if (failure is not null) throw new ProcessFailedException(failure);   // a coroutine's error fails the process
        if (_closed || _coroutines is null) return;
        _coroutines.Remove(reference);
        luaL_unref(Shard.L, RegistryIndex, reference);
    }

    // ---- errors ----

    private ProcessError Unpreemptible() =>
        new($"busy loop ended: the process ran for more than {Shard.Engine.Options.MaxUnpreemptibleTime.TotalSeconds:0.###} s " +
            "where it cannot be preempted (a callback of a C function such as string.gsub or table.sort, or a long pattern match)",
            ErrorKind.LimitExceeded, Retryable: false);

    private ProcessError MemoryExceeded()
    {
        long limit = Shard.Ledger!.LimitOf(Slot);
        return new ProcessError($"memory limit exceeded: the process holds more than {limit} bytes (the host's memory_limit)",
            ErrorKind.LimitExceeded, Retryable: false);
    }

    private ProcessError ErrorOf(nint T, int status)
    {
        if (status == ErrMem) return new ProcessError("not enough memory", ErrorKind.LimitExceeded);
        if (Userdata.TagOf(T, -1) == UserdataTag.Error)
            return ErrorValues.Read(T, -1, index => SafeNeutral(T, index));
        return new ProcessError(lua_type(T, -1) switch
        {
            TString or TNumber => LuaShard.Describe(T, -1),
            TNil => "nil",
            var type => $"(error object is a {TypeName(type)} value)",
        });
    }

    private object? SafeNeutral(nint T, int index)
    {
        try
        {
            return LuaValues.ToNeutral(Shard, T, index, MaxPayloadBytes);
        }
        catch (WispException)
        {
            return null;
        }
    }

    /// <summary>The failure with the Lua traceback of <paramref name="T"/>, which the node's crash report writes.</summary>
    private unsafe ProcessError Failed(nint T, ProcessError error, bool traceback)
    {
        if (Context == default || !traceback) return error;
        nint L = Shard.L;
        fixed (byte* message = Encoding.UTF8.GetBytes(error.Message + "\0"))
            luaL_traceback(L, T, message, 0);
        var trace = ToText(L, -1) ?? "";
        Pop(L, 1);
        return error with { Trace = trace };
    }

    // ---- selects ----

    private PendingSelect? _spareSelect;

    /// <summary>Cases of the select being built (the core copies them, so one list serves every select).</summary>
    public List<SelectCase> CaseBuffer { get; } = [];

    public PendingSelect RentSelect(SelectForm form)
    {
        var select = _spareSelect ?? new PendingSelect(this);
        _spareSelect = null;
        select.Reset(form);
        return select;
    }

    public void ReturnSelect(PendingSelect select) => _spareSelect = select;

    // ---- values in Lua channels ----

    /// <summary>Keeps the value at <paramref name="index"/> while it travels through a Lua channel; returns its key.</summary>
    public long PutInflight(nint L, int index)
    {
        index = lua_absindex(L, index);
        PushInflightTable(L);
        long key = ++_nextInflight;
        lua_pushvalue(L, index);
        lua_rawseti(L, -2, key);
        Pop(L, 1);
        return key;
    }

    /// <summary>Pushes the value kept under <paramref name="key"/> and forgets it.</summary>
    public void TakeInflight(nint L, long key)
    {
        PushInflightTable(L);
        lua_rawgeti(L, -1, key);
        lua_pushnil(L);
        lua_rawseti(L, -3, key);
        lua_rotate(L, -2, 1);
        Pop(L, 1);
    }

    /// <summary>Forgets the value kept under <paramref name="key"/> (a send that did not happen).</summary>
    public void DropInflight(long key)
    {
        nint L = Shard.L;
        PushInflightTable(L);
        lua_pushnil(L);
        lua_rawseti(L, -2, key);
        Pop(L, 1);
    }

    private void PushInflightTable(nint L)
    {
        if (_inflight == 0)
        {
            lua_createtable(Shard.L, 0, 4);
            _inflight = luaL_ref(Shard.L, RegistryIndex);
        }
        lua_rawgeti(L, RegistryIndex, _inflight);
    }
}

/// <summary>
/// A blocking operation a primitive started and the driver finishes: it waits on the loop, then pushes its results
/// onto the thread that is resumed with them.
/// </summary>
internal abstract class PendingOperation
{
    /// <summary>The thread whose driver takes this operation (set by <see cref="LuaProcess.Suspend"/>).</summary>
    public nint Driver { get; set; }

    public abstract ValueTask Wait();
    public abstract int PushResults(nint T);
}
