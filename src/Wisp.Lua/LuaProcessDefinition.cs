using Wisp.Hosting.Entries;

namespace Wisp.Lua;

/// <summary>
/// A <c>process.lua</c> entry as the node spawns it. At the first spawn its script is compiled and checked (its top
/// level runs in the validation shard and its method must exist; a compile error, a missing method or a module
/// not in <c>modules</c> is then an error to the spawner, naming the entry, the file and the line); each process
/// then lives in a shard of its host (the least busy one at its spawn) for its whole life.
/// </summary>
internal sealed class LuaProcessDefinition : ProcessDefinition
{
    public override string Kind => "lua";

    private readonly Lazy<LuaProgram> _program;

    public LuaProcessDefinition(LuaRuntime engine, LuaEntry entry, EntrySet entries) : base(entry.Id.ToString())
    {
        Engine = engine;
        Entry = entry;
        Entries = entries;
        _program = new Lazy<LuaProgram>(() => engine.Check(this), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public LuaRuntime Engine { get; }
    public LuaEntry Entry { get; }

    /// <summary>The node's entries, where the entry's imports are found.</summary>
    public EntrySet Entries { get; }

    public override object?[] PrepareArguments(object?[] args)
    {
        _ = _program.Value;   // the check's error, if any, goes to the spawner
        return args;
    }

    public override IWorkScheduler SchedulerFor(Host host, Pid pid) => Engine.Place(host, pid).Scheduler!;

    public override Task<object?> Run(ProcessContext context, object?[] args)
    {
        var host = context.Node.FindHost(context.HostId)!;
        var shard = Engine.Current(host);
        var process = new LuaProcess(shard, this, context);
        process.Open(host.Options.ProcessMemoryLimit ?? 0);
        context.OnExit(_ => process.Close());
        var program = _program.Value;
        return process.RunMain(args, shard.FactoryOf(program.Script), shard.AllowedOf(this, Entry.Modules),
            shard.ImportsOf(program.Imports), Entry.Method);
    }
}

/// <summary>What a Lua entry runs: its compiled script and the libraries it imports, by alias.</summary>
internal sealed record LuaProgram(LuaScript Script, IReadOnlyDictionary<string, LuaLibrary> Imports);
