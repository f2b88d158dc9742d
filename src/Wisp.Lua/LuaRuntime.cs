using System.Collections.Concurrent;
using Wisp.Hosting;
using Wisp.Hosting.Entries;

namespace Wisp.Lua;

/// <summary>How a node runs its Lua processes.</summary>
public sealed record LuaOptions
{
    /// <summary>The largest payload a Lua process may send, spawn with or return (counted as encoded): 64 MiB.</summary>
    public long MaxPayloadBytes { get; init; } = PayloadEncoding.DefaultMaxBytes;

    /// <summary>Lua states per host; by default one per core, at most the host's workers (a terminal host has one).</summary>
    public int? ShardsPerHost { get; init; }

    /// <summary>How long a script's top level may run at the spawn-time check (it runs once per process later, too).</summary>
    public TimeSpan MaxCheckTime { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a process may run where it cannot be preempted (a callback of a C function, such as string.gsub's
    /// or table.sort's) before it is ended, since its shard's other processes wait meanwhile.
    /// </summary>
    public TimeSpan MaxUnpreemptibleTime { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// The Lua layer of a node: runs <c>process.lua</c> entries (add it to <see cref="WispRuntimeOptions.ProcessKinds"/>).
/// Each host gets a few shards, Lua states shared by its Lua processes, each run by one thread at a time; a process
/// stays for its whole life in the shard it was placed in (the least busy one when it was spawned). Scripts are compiled once and checked at their first spawn in a validation
/// state of its own. Disposed by the runtime after its shutdown: every state is closed then.
/// </summary>
public sealed class LuaRuntime : IProcessKind, IDisposable
{
    private readonly ConcurrentDictionary<Host, HostShards> _shards = new();
    private readonly ConcurrentDictionary<string, LuaScript> _scripts = new(StringComparer.Ordinal);
    private readonly Dictionary<EntryId, LuaLibrary> _libraries = [];   // under _checking
    private readonly object _checking = new();
    private LuaShard? _validator;
    private bool _disposed;

    public LuaRuntime(LuaOptions? options = null)
    {
        Options = options ?? new LuaOptions();
        Preemption = new(Options.MaxUnpreemptibleTime);
    }

    public LuaOptions Options { get; }

    /// <summary>JSON schemas json.validate built, by their text (cleared when it reaches <see cref="MaxCachedSchemas"/>).</summary>
    internal ConcurrentDictionary<string, Json.Schema.JsonSchema> Schemas { get; } = new(StringComparer.Ordinal);

    internal const int MaxCachedSchemas = 1024;

    /// <summary>The watchdog that preempts a Lua process running too long (one thread for every state of the node).</summary>
    internal Native.Preemption Preemption { get; }

    public ProcessDefinition? Define(Entry entry, EntrySet entries) =>
        entry is LuaEntry { Runs: true } lua ? new LuaProcessDefinition(this, lua, entries) : null;

    /// <summary>Bytes held by every Lua state of the node (the shards' allocators' count; validation included).</summary>
    public long NativeBytes
    {
        get
        {
            long total = 0;
            foreach (var shards in _shards.Values) total += shards.NativeBytes;
            lock (_checking) total += _validator?.Bytes ?? 0;
            return total;
        }
    }

    /// <summary>Runs a full collection in every Lua state, each on its own thread; for tests and diagnostics.</summary>
    public async Task CollectGarbageAsync()
    {
        lock (_checking) _validator?.Collect();
        await Task.WhenAll(_shards.Values.SelectMany(s => s.All).Select(shard =>
        {
            var collected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            shard.Scheduler!.Schedule(new Collection(shard, collected));
            return collected.Task;
        }));
    }

    /// <summary>A full collection, run as an item of the shard (so on its thread, between slices).</summary>
    private sealed class Collection(LuaShard shard, TaskCompletionSource collected) : IThreadPoolWorkItem
    {
        public void Execute()
        {
            shard.Collect();
            collected.TrySetResult();
        }
    }

    /// <summary>The shard a new process of <paramref name="host"/> lives in, for its whole life.</summary>
    internal LuaShard Place(Host host, Pid pid) => ShardsOf(host).Place(pid.Id);

    /// <summary>The shard of the Lua process whose loop runs on this thread.</summary>
    internal LuaShard Current(Host host) => ShardsOf(host).Running;

    private HostShards ShardsOf(Host host)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _shards.GetOrAdd(host, h => new HostShards(this, h));
    }

    /// <summary>
    /// Compiles the definition's script (once per file) and the libraries it imports (once per node), and checks it
    /// (once per entry): see LuaProcessDefinition.
    /// </summary>
    internal LuaProgram Check(LuaProcessDefinition definition)
    {
        var entry = definition.Entry;
        lock (_checking)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var validator = _validator ??= new LuaShard(this, scheduler: null, countMemory: false);
            var program = new LuaProgram(Compile(validator, entry), ImportsOf(validator, entry, definition.Entries));
            var probe = new LuaProcess(validator, definition, context: default);
            probe.Open(memoryLimit: 0);
            try
            {
                var error = probe.Check(validator.FactoryOf(program.Script), validator.AllowedOf(definition, entry.Modules),
                    validator.ImportsOf(program.Imports), entry.Method, Options.MaxCheckTime);
                if (error is not null)
                    throw new WispException(error.Kind is ErrorKind.NotFound or ErrorKind.LimitExceeded ? error.Kind : ErrorKind.Invalid,
                        $"{entry.Id} ({entry.Location}): {error.Message}");
            }
            finally
            {
                probe.Close();
            }
            return program;
        }
    }

    private LuaScript Compile(LuaShard validator, LuaEntry entry)
    {
        try
        {
            return _scripts.GetOrAdd(entry.SourcePath, path => LuaScript.Compile(validator, path, entry.Source["file://".Length..]));
        }
        catch (WispException e)
        {
            throw new WispException(e.Kind, $"{entry.Id} ({entry.Location}): {e.Message}", e);
        }
    }

    /// <summary>The libraries <paramref name="importer"/> imports, by alias, compiled (with theirs) the first time one is met.</summary>
    private IReadOnlyDictionary<string, LuaLibrary> ImportsOf(LuaShard validator, LuaEntry importer, EntrySet entries)
    {
        if (importer.Imports.Count == 0) return NoImports;
        var imports = new Dictionary<string, LuaLibrary>(StringComparer.Ordinal);
        foreach (var (alias, id) in importer.Imports)
        {
            if (!_libraries.TryGetValue(id, out var library))
            {
                if (entries.Find(id) is not LuaEntry { Kind: LuaEntry.LibraryKind } entry)
                    throw new WispException(ErrorKind.NotFound, $"{importer.Id} ({importer.Location}): import '{alias}': "
                        + (entries.Find(id) is { } other ? $"{id} is a {other.Kind}, not a library.lua" : $"entry not found: {id}"));
                library = new LuaLibrary(id, Compile(validator, entry), entry.Modules);
                _libraries[id] = library;   // before its own imports: a cycle finds it
                foreach (var (name, imported) in ImportsOf(validator, entry, entries)) library.Imports[name] = imported;
            }
            imports[alias] = library;
        }
        return imports;
    }

    private static readonly IReadOnlyDictionary<string, LuaLibrary> NoImports = new Dictionary<string, LuaLibrary>();

    public void Dispose()
    {
        lock (_checking)
        {
            if (_disposed) return;
            _disposed = true;
            _validator?.Dispose();
        }
        foreach (var shards in _shards.Values) shards.Dispose();
        Preemption.Dispose();
    }

    /// <summary>The shards of one host.</summary>
    private sealed class HostShards : IDisposable
    {
        private readonly LuaShard[] _shards;

        public HostShards(LuaRuntime engine, Host host)
        {
            int count = engine.Options.ShardsPerHost
                ?? Math.Min(host.Options.Workers ?? Environment.ProcessorCount, Environment.ProcessorCount);
            _shards = new LuaShard[Math.Max(1, count)];
            bool counted = host.Options.ProcessMemoryLimit is not null;
            for (int i = 0; i < _shards.Length; i++) _shards[i] = new LuaShard(engine, new ShardScheduler(host.Scheduler), counted);
        }

        /// <summary>
        /// The shard a new process goes to: the one with the least queued work (so a busy process, a relay, does not
        /// share its shard with the workers it spawns when another is free); ties go by the PID.
        /// </summary>
        public LuaShard Place(ulong id)
        {
            int start = (int)(id % (ulong)_shards.Length), best = start;
            for (int i = 1; i < _shards.Length; i++)
            {
                int candidate = (start + i) % _shards.Length;
                if (_shards[candidate].Scheduler!.Load < _shards[best].Scheduler!.Load) best = candidate;
            }
            return _shards[best];
        }

        /// <summary>The shard whose thread this is (a process's code runs on its shard's).</summary>
        public LuaShard Running => _shards.FirstOrDefault(s => s.Scheduler!.IsRunningHere)
            ?? throw new InvalidOperationException("a Lua process runs off its shard's thread");

        public IReadOnlyList<LuaShard> All => _shards;

        public long NativeBytes => _shards.Sum(s => s.Bytes);

        public void Dispose()
        {
            foreach (var shard in _shards)
            {
                // Every process has ended by now; a shard still running one (a host that did not stop) is left open.
                if (shard.Scheduler!.TryClose()) shard.Dispose();
            }
        }
    }
}
