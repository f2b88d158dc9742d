using System.Collections.Concurrent;
using System.Reflection;
using Wisp.Hosting.Entries;

namespace Wisp.Hosting;

/// <summary>
/// The node's catalog over loaded entries: <c>process.dotnet</c> entries become compiled C# definitions
/// (built on first spawn, then kept); <c>process.lua</c> entries are refused with a clear error until the
/// Lua runtime is part of the build.
/// </summary>
internal sealed class EntryCatalog(EntrySet entries, IReadOnlyList<Assembly> assemblies) : IProcessCatalog
{
    private readonly ConcurrentDictionary<string, ProcessDefinition> _definitions = new(StringComparer.Ordinal);

    public ProcessDefinition? Find(string entryId)
    {
        if (_definitions.TryGetValue(entryId, out var known)) return known;
        if (!EntryId.TryParse(entryId, out var id) || entries.Find(id) is not { } entry) return null;
        ProcessDefinition definition = entry switch
        {
            DotnetProcessEntry dotnet => new DotnetProcessDefinition(dotnet, assemblies),
            LuaProcessEntry lua => new UnavailableDefinition(entryId,
                $"process.lua entries are not available in this build: {entryId} ({lua.Location})"),
            _ => throw new WispException(ErrorKind.Invalid, $"entry {entryId} is a {entry.Kind}, not a process"),
        };
        return _definitions.GetOrAdd(entryId, definition);
    }

    private sealed class UnavailableDefinition(string id, string reason) : ProcessDefinition(id)
    {
        public override object?[] PrepareArguments(object?[] args) => throw new WispException(ErrorKind.Unavailable, reason);
        public override Task<object?> Run(ProcessContext process, object?[] args) => throw new WispException(ErrorKind.Unavailable, reason);
    }
}
