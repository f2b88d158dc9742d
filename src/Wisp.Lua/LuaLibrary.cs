using Wisp.Hosting.Entries;

namespace Wisp.Lua;

/// <summary>
/// A <c>library.lua</c> entry as the entries that import it see it: its compiled script, the modules it may require
/// and its own imports. Libraries form a graph (they may import each other, in a cycle too: a process that
/// requires around a cycle gets Lua's "loop or previous error loading module"). Built once per node by the
/// spawn-time check of the first entry that imports it; immutable after that.
/// </summary>
internal sealed class LuaLibrary(EntryId id, LuaScript script, IReadOnlyList<string> modules)
{
    public EntryId Id { get; } = id;
    public LuaScript Script { get; } = script;
    public IReadOnlyList<string> Modules { get; } = modules;

    /// <summary>Alias → library: filled once, while the graph is built.</summary>
    public Dictionary<string, LuaLibrary> Imports { get; } = new(StringComparer.Ordinal);
}
