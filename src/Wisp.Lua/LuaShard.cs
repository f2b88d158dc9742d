using System.Runtime.InteropServices;
using System.Text;
using Wisp.Lua.Native;
using static Wisp.Lua.Native.LuaApi;

namespace Wisp.Lua;

/// <summary>
/// One Lua state shared by many processes (a shard): the standard libraries, the prelude (Prelude/prelude.lua),
/// the scripts its processes run, compiled once per shard, and the record of each process that lives in it (its
/// main thread, environment and coroutines).
///
/// Invariants:
/// - the state is touched by one thread at a time: the one running the shard's <see cref="Scheduler"/> (or, for
///   the validation shard, the holder of its lock); its processes are scheduled there for their whole life;
/// - <see cref="Current"/> is the process whose Lua code runs or last ran: CUR[1] in Lua, the memory slot
///   charged for new blocks and the string library that string methods use are its own (<see cref="MakeCurrent"/>);
/// - every registry reference taken for a process (its record, a coroutine) is given back when it ends, so what
///   it made becomes garbage for the state's collector;
/// - the running thread (the lua_State inside lua_resume, or 0) and the slice's start change only under the slice
///   lock, which the preemption watchdog takes to set its hook (see Native/Preemption.cs).
/// The extra space before the main thread (and so before every thread, which copies it) holds a GCHandle to the
/// shard: a C# callback finds its shard from the thread it is called on.
/// </summary>
internal sealed unsafe class LuaShard : IDisposable
{
    private static readonly nint Tag = 1, WaitSentinel = 2, RaiseSentinel = 3;

    private readonly GCHandle _self;
    private readonly GCHandle _ledgerHandle;
    private long _countedBytes;
    private readonly Dictionary<LuaScript, int> _factories = [];
    private readonly Dictionary<object, int> _allowed = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<object, int> _imports = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<LuaLibrary, int> _libraries = new(ReferenceEqualityComparer.Instance);
    private int _installedString;
    private bool _disposed;

    /// <param name="engine">The Lua runtime the shard belongs to.</param>
    /// <param name="scheduler">What runs the shard's processes one at a time (null for the shard that only compiles scripts to check them, and runs no process).</param>
    /// <param name="countMemory">
    /// Whether each process's memory is counted (its host has a memory limit): blocks then go through the C#
    /// allocator of <see cref="LuaMemory"/>; else through the library's own, which costs no call into C#.
    /// </param>
    public LuaShard(LuaRuntime engine, ShardScheduler? scheduler, bool countMemory)
    {
        Engine = engine;
        Scheduler = scheduler;
        ValueReader = new LuaValues.Reader(this);
        ValueWriter = new LuaValues.Writer(this);
        if (countMemory)
        {
            Ledger = new LuaMemory();
            _ledgerHandle = GCHandle.Alloc(Ledger);
            L = lua_newstate(&LuaMemory.Allocate, GCHandle.ToIntPtr(_ledgerHandle));
        }
        else L = luaL_newstate();
        if (L == 0) throw new InvalidOperationException("could not create a Lua state");
        _self = GCHandle.Alloc(this);
        *ExtraSpaceOf(L) = GCHandle.ToIntPtr(_self);
        luaL_openlibs(L);
        RunPrelude();
        RunTypes();
        engine.Preemption.Add(this);
    }

    public LuaRuntime Engine { get; }
    public ShardScheduler? Scheduler { get; }
    public nint L { get; }

    /// <summary>Who holds the state's memory, when it is counted (a host with a memory limit); else null.</summary>
    public LuaMemory? Ledger { get; }

    /// <summary>
    /// Bytes the state holds: exact when counted, else as of the last <see cref="Collect"/> (read from any thread).
    /// </summary>
    public long Bytes => Ledger?.Total ?? Volatile.Read(ref _countedBytes);

    /// <summary>A full collection (on the shard's thread), then the byte count.</summary>
    public void Collect()
    {
        lua_gc(L, GcCollect, 0, 0, 0);
        Volatile.Write(ref _countedBytes, lua_gc(L, GcCount, 0, 0, 0) * 1024L + lua_gc(L, GcCountB, 0, 0, 0));
    }
    public LuaHandles Handles { get; } = new();

    /// <summary>Topics, names and PIDs as they cross between Lua and C#, converted once (see LuaTexts).</summary>
    public LuaTexts Texts { get; } = new();

    /// <summary>The copier of values out of this state and into it (one each: the shard's thread is the only user).</summary>
    public LuaValues.Reader ValueReader { get; }
    public LuaValues.Writer ValueWriter { get; }

    /// <summary>The process whose Lua code runs or last ran here; null before any (and in validation).</summary>
    public LuaProcess? Current { get; private set; }

    /// <summary>Set by the preemption hook just before it yields: the next empty yield seen is a preemption.</summary>
    public bool Preempted;

    private readonly Lock _sliceLock = new();
    private nint _runningThread;
    private long _sliceBegan, _sliceStarted;

    /// <summary>Set by the preemption hook each time it runs: the running slice went on after it.</summary>
    public volatile bool HookFired;

    private volatile bool _ending;

    /// <summary>
    /// The running slice could not be preempted for the watchdog's end limit: its threads raise at every
    /// instruction and its process fails, whatever the slice's outcome (read until the next slice begins).
    /// </summary>
    public bool Ending => _ending;

    /// <summary>A process's thread is about to be resumed: the slice the watchdog times starts.</summary>
    public void BeginSlice(nint thread)
    {
        lock (_sliceLock)
        {
            _runningThread = thread;
            _sliceBegan = _sliceStarted = System.Diagnostics.Stopwatch.GetTimestamp();
            HookFired = false;
            _ending = false;
        }
    }

    /// <summary>The slice is over; returns whether the watchdog ended it (see <see cref="Ending"/>).</summary>
    public bool EndSlice()
    {
        lock (_sliceLock)
        {
            _runningThread = 0;
            return _ending;
        }
    }

    /// <summary>A coroutine of the running process is resumed inside the slice; returns the thread it runs from.</summary>
    public nint EnterCoroutine(nint coroutine)
    {
        lock (_sliceLock)
        {
            nint outer = _runningThread;
            _runningThread = coroutine;
            if (_ending) Preemption.ArmEnd(coroutine);
            return outer;
        }
    }

    public void LeaveCoroutine(nint outer)
    {
        lock (_sliceLock)
        {
            _runningThread = outer;
            if (_ending) Preemption.ArmEnd(outer);   // the ended coroutine's caller goes on raising
        }
    }

    /// <summary>
    /// Called by the watchdog: arms the preemption hook if the running slice has lasted <paramref name="limit"/>
    /// ticks, or ends it if it has lasted <paramref name="endLimit"/> and went on after a hook (so it cannot yield:
    /// a slice in one long C call has not met its hook yet).
    /// </summary>
    public void PreemptIfOverdue(long now, long limit, long endLimit)
    {
        lock (_sliceLock)
        {
            if (_runningThread == 0 || _ending) return;
            if (HookFired && now - _sliceBegan >= endLimit)
            {
                _ending = true;
                Preemption.ArmEnd(_runningThread);
                return;
            }
            if (now - _sliceStarted < limit) return;
            Preemption.Arm(_runningThread);
            _sliceStarted = now;   // one hook per limit: a thread that cannot yield yet keeps its re-arming hook
        }
    }

    /// <summary>How many processes have changed their string library (then string methods must follow the current one).</summary>
    public int StringOverrides;

    // Registry references to what the prelude returns.
    public int Base, EnvMt, Cur, Start, MessageMt, PayloadMt, ErrorMt, ChannelMt, TimerMt, TickerMt, TimeMt, DurationMt,
        LocationMt, RealString, StringMt;

    /// <summary>The shard of the thread a C# callback runs on.</summary>
    public static LuaShard Of(nint L) => (LuaShard)GCHandle.FromIntPtr(*ExtraSpaceOf(L)).Target!;

    public static bool IsWait(nint L, int index) => lua_type(L, index) == TLightUserdata && lua_touserdata(L, index) == WaitSentinel;
    public static bool IsTag(nint L, int index) => lua_type(L, index) == TLightUserdata && lua_touserdata(L, index) == Tag;
    public static void PushWait(nint L) => lua_pushlightuserdata(L, WaitSentinel);
    public static void PushRaise(nint L) => lua_pushlightuserdata(L, RaiseSentinel);

    /// <summary>Pushes the chunk of an embedded Lua file of Prelude/ (its chunk name: the file's name without .lua).</summary>
    private void LoadEmbedded(string name)
    {
        using var stream = typeof(LuaShard).Assembly.GetManifestResourceStream($"Wisp.Lua.Prelude.{name}.lua")
            ?? throw new InvalidOperationException($"the Lua {name} is missing from the assembly");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        if (LoadBuffer(L, memory.GetBuffer().AsSpan(0, (int)memory.Length), "=" + name, "t") != Ok)
            throw new InvalidOperationException($"the Lua {name} does not compile: {ToText(L, -1)}");
    }

    private void RunPrelude()
    {
        LoadEmbedded("prelude");
        lua_pushlightuserdata(L, Tag);
        lua_pushlightuserdata(L, WaitSentinel);
        lua_pushlightuserdata(L, RaiseSentinel);
        Primitives.PushTable(L);
        if (lua_pcallk(L, 4, 1, 0, 0, 0) != Ok) throw new InvalidOperationException($"the Lua prelude failed: {ToText(L, -1)}");
        Base = TakeField("BASE");
        EnvMt = TakeField("ENV_MT");
        Cur = TakeField("CUR");
        Start = TakeField("start");
        MessageMt = TakeField("MESSAGE_MT");
        PayloadMt = TakeField("PAYLOAD_MT");
        ErrorMt = TakeField("ERROR_MT");
        ChannelMt = TakeField("CHANNEL_MT");
        TimerMt = TakeField("TIMER_MT");
        TickerMt = TakeField("TICKER_MT");
        TimeMt = TakeField("TIME_MT");
        DurationMt = TakeField("DURATION_MT");
        LocationMt = TakeField("LOCATION_MT");
        RealString = TakeField("REAL_STRING");
        Pop(L, 1);
        PushString(L, "");
        lua_getmetatable(L, -1);
        StringMt = luaL_ref(L, RegistryIndex);
        Pop(L, 1);
        _installedString = RealString;
    }

    /// <summary>A registry reference to the function a translated script's prologue calls (Prelude/types.lua).</summary>
    public int TypesModule;

    /// <summary>
    /// The typed dialect's run-time types (Prelude/types.lua): their globals (typeof, Number, integer, ...) join
    /// BASE, and the function a translated script's prologue calls is kept for <see cref="FactoryOf"/>.
    /// </summary>
    private void RunTypes()
    {
        LoadEmbedded("types");
        Primitives.PushTable(L);
        if (lua_pcallk(L, 1, 1, 0, 0, 0) != Ok) throw new InvalidOperationException($"the Lua types failed: {ToText(L, -1)}");
        TypesModule = TakeField("module");
        PushString(L, "globals");
        lua_rawget(L, -2);
        lua_rawgeti(L, RegistryIndex, Base);
        lua_pushnil(L);
        while (lua_next(L, -3) != 0)
        {
            lua_pushvalue(L, -2);
            lua_rotate(L, -2, 1);
            lua_rawset(L, -4);
        }
        Pop(L, 3);
    }

    /// <summary>The compiled regular expressions of <c>@pattern</c> validators, by pattern (null: it does not compile).</summary>
    public Dictionary<string, System.Text.RegularExpressions.Regex?> Patterns { get; } = [];

    private int TakeField(string name)
    {
        PushString(L, name);
        lua_rawget(L, -2);
        if (lua_type(L, -1) == TNil) throw new InvalidOperationException($"the Lua prelude returns no {name}");
        return luaL_ref(L, RegistryIndex);
    }

    /// <summary>Makes <paramref name="process"/> the one whose Lua code runs next (see the invariants).</summary>
    public void MakeCurrent(LuaProcess? process)
    {
        if (Current == process) return;
        Current = process;
        if (Ledger is not null) Ledger.Current = process?.Slot ?? 0;
        lua_rawgeti(L, RegistryIndex, Cur);
        if (process is null) lua_pushnil(L);
        else lua_rawgeti(L, RegistryIndex, process.RecordRef);
        lua_rawseti(L, -2, 1);
        Pop(L, 1);
        if (StringOverrides > 0) InstallString(process?.StringLibrary ?? 0);
    }

    /// <summary>Points the string metatable's __index at the current process's own string library, or the shared one.</summary>
    public void InstallString(int library)
    {
        if (library == 0) library = RealString;
        if (library == _installedString) return;
        _installedString = library;
        lua_rawgeti(L, RegistryIndex, StringMt);
        PushString(L, "__index");
        lua_rawgeti(L, RegistryIndex, library);
        lua_rawset(L, -3);
        Pop(L, 1);
    }

    /// <summary>The script's factory (its source compiled as <c>function(_ENV, ...)</c>), loaded here once.</summary>
    public int FactoryOf(LuaScript script)
    {
        if (_factories.TryGetValue(script, out int known)) return known;
        var bytecode = script.Bytecode;
        bool loaded = LoadBuffer(L, bytecode, script.ChunkName, "b") == Ok;
        if (loaded)
        {
            lua_rawgeti(L, RegistryIndex, TypesModule);   // the outer chunk's argument (see LuaScript)
            loaded = lua_pcallk(L, 1, 1, 0, 0, 0) == Ok;
        }
        if (!loaded)
        {
            var why = ToText(L, -1);
            Pop(L, 1);
            throw new InvalidOperationException($"{script.ChunkName}: its compiled form does not load: {why}");
        }
        int factory = luaL_ref(L, RegistryIndex);
        _factories.Add(script, factory);
        return factory;
    }

    /// <summary>The set of modules an entry may require (<c>{time = true, ...}</c>), made here once per entry.</summary>
    public int AllowedOf(object entry, IReadOnlyList<string> modules)
    {
        if (_allowed.TryGetValue(entry, out int known)) return known;
        lua_createtable(L, 0, modules.Count);
        foreach (var module in modules)
        {
            PushString(L, module);
            lua_pushboolean(L, 1);
            lua_rawset(L, -3);
        }
        int table = luaL_ref(L, RegistryIndex);
        _allowed.Add(entry, table);
        return table;
    }

    /// <summary>
    /// The table of an entry's imports (alias → library record), made here once per import set; 0 for none. A record
    /// is <c>{entry, factory, allowed, imports}</c>, made once per library; both are anchored (and cached) before
    /// they are filled, so a cycle of imports ends at the cache.
    /// </summary>
    public int ImportsOf(IReadOnlyDictionary<string, LuaLibrary> imports)
    {
        if (imports.Count == 0) return 0;
        if (_imports.TryGetValue(imports, out int known)) return known;
        lua_createtable(L, 0, imports.Count);
        int table = luaL_ref(L, RegistryIndex);
        _imports.Add(imports, table);
        foreach (var (alias, library) in imports)
        {
            int record = LibraryOf(library);
            lua_rawgeti(L, RegistryIndex, table);
            PushString(L, alias);
            lua_rawgeti(L, RegistryIndex, record);
            lua_rawset(L, -3);
            Pop(L, 1);
        }
        return table;
    }

    private int LibraryOf(LuaLibrary library)
    {
        if (_libraries.TryGetValue(library, out int known)) return known;
        lua_createtable(L, 0, 4);
        int record = luaL_ref(L, RegistryIndex);
        _libraries.Add(library, record);
        int factory = FactoryOf(library.Script), allowed = AllowedOf(library, library.Modules), imports = ImportsOf(library.Imports);
        lua_rawgeti(L, RegistryIndex, record);
        PushString(L, "entry");
        PushString(L, library.Id.ToString());
        lua_rawset(L, -3);
        SetReference(L, "factory", factory);
        SetReference(L, "allowed", allowed);
        if (imports != 0) SetReference(L, "imports", imports);
        Pop(L, 1);
        return record;
    }

    private static void SetReference(nint L, string key, int reference)
    {
        PushString(L, key);
        lua_rawgeti(L, RegistryIndex, reference);
        lua_rawset(L, -3);
    }

    private const int MaxSpareThreads = 256;
    private readonly Stack<(nint Thread, int Reference)> _spareThreads = new();

    /// <summary>
    /// A thread for a new process, anchored by a registry reference: one an ended process gave back (reset), or a
    /// new one. Reuse spares a process the allocation of a thread and its stack, and the collector their freeing.
    /// </summary>
    public (nint Thread, int Reference) RentThread()
    {
        if (_spareThreads.TryPop(out var spare)) return spare;
        nint thread = lua_newthread(L);
        return (thread, luaL_ref(L, RegistryIndex));
    }

    /// <summary>
    /// Takes back a process's thread: reset (its stack emptied, its to-be-closed variables closed, in a slice the
    /// watchdog times like any other) and kept, or let go. A thread whose slice the watchdog ended is let go as it is:
    /// the error that ended it left its hooks off (Native/Preemption.cs), so neither its close methods nor a later
    /// process may run on it.
    /// </summary>
    public void ReturnThread(nint thread, int reference, bool ended)
    {
        if (!ended)
        {
            BeginSlice(thread);
            int status = lua_closethread(thread, L);
            ended = EndSlice();
            Preemption.Disarm(thread);   // a hook left by the watchdog belongs to the ended process
            if (status == Ok && !ended && _spareThreads.Count < MaxSpareThreads)
            {
                _spareThreads.Push((thread, reference));
                return;
            }
        }
        lua_settop(thread, 0);
        luaL_unref(L, RegistryIndex, reference);
    }

    private readonly Dictionary<string, int> _zones = new(StringComparer.Ordinal);

    /// <summary>The handle of a time zone, made once per shard and kept: times refer to it for as long as they live.</summary>
    public int ZoneHandle(string key, Func<TimeZoneInfo> make)
    {
        if (!_zones.TryGetValue(key, out int handle)) _zones[key] = handle = Handles.Add(make());
        return handle;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Current = null;
        Engine.Preemption.Remove(this);
        lua_close(L);
        _self.Free();
        if (_ledgerHandle.IsAllocated) _ledgerHandle.Free();
    }

    /// <summary>The Lua text of a value for messages (a string as is, a number, else its type).</summary>
    public static string Describe(nint L, int index) => lua_type(L, index) switch
    {
        TString => ToText(L, index)!,
        TNumber => lua_isinteger(L, index) != 0 ? lua_tointegerx(L, index, null).ToString() : LuaNumbers.Format(lua_tonumberx(L, index, null)),
        var type => TypeName(type),
    };

    internal static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
}
