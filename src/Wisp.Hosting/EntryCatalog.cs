using System.Collections.Concurrent;
using System.Reflection;
using Wisp.Hosting.Entries;

namespace Wisp.Hosting;

/// <summary>
/// The node's catalog over loaded entries: <c>process.dotnet</c> entries (from files or made in code) become compiled C#
/// definitions; other process kinds are made by the runtime's <see cref="IProcessKind"/>s, asked in order. A
/// definition is made on the first spawn of its entry and then kept. A process entry no kind runs (a
/// <c>process.lua</c> entry in a program without the Lua runtime) cannot be spawned, with an error that says so.
/// </summary>
internal sealed class EntryCatalog(EntrySet entries, IReadOnlyList<Assembly> assemblies, IReadOnlyList<IProcessKind>? kinds = null) : IProcessCatalog
{
    private readonly ConcurrentDictionary<string, ProcessDefinition> _definitions = new(StringComparer.Ordinal);

    public ProcessDefinition? Find(string entryId)
    {
        if (_definitions.TryGetValue(entryId, out var known)) return known;
        if (!EntryId.TryParse(entryId, out var id) || entries.Find(id) is not { } entry) return null;
        return _definitions.GetOrAdd(entryId, Define(entry));
    }

    private ProcessDefinition Define(Entry entry)
    {
        if (entry is DotnetProcessEntry dotnet) return DotnetProcessDefinition.Of(dotnet, assemblies);
        if (entry is CodeProcessEntry code) return DotnetProcessDefinition.Of(code);
        if (entry is LuaEntry { Runs: false }) throw new WispException(ErrorKind.Invalid, $"entry {entry.Id} is a {entry.Kind}: it is imported, not run");
        foreach (var kind in kinds ?? [])
            if (kind.Define(entry, entries) is { } definition) return definition;
        if (entry is LuaEntry lua)
            return new UnavailableDefinition(entry.Id.ToString(),
                $"{lua.Kind} entries need the Lua runtime, which this program does not include (the wisp command does; a program adds it with WispRuntimeOptions.ProcessKinds or AddWisp(...).AddProcessKind(_ => new LuaRuntime())): {entry.Id} ({lua.Location})");
        throw new WispException(ErrorKind.Invalid, $"entry {entry.Id} is a {entry.Kind}, not a process");
    }

    private sealed class UnavailableDefinition(string id, string reason) : ProcessDefinition(id)
    {
        public override object?[] PrepareArguments(object?[] args) => throw new WispException(ErrorKind.Unavailable, reason);
        public override Task<object?> Run(ProcessContext process, object?[] args) => throw new WispException(ErrorKind.Unavailable, reason);
    }
}
