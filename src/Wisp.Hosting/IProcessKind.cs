using Wisp.Hosting.Entries;

namespace Wisp.Hosting;

/// <summary>
/// Makes the process definitions of entries of the kinds it runs. The hosting layer runs <c>process.dotnet</c>
/// itself; another layer adds its kinds through <see cref="WispRuntimeOptions.ProcessKinds"/> (the Lua layer runs
/// <c>process.lua</c>). A runtime asks its kinds in order, once per entry, the first time the entry is spawned,
/// and disposes those that are disposable once it has shut down (every process has ended by then).
/// </summary>
public interface IProcessKind
{
    /// <summary>The definition of <paramref name="entry"/>, or null if this kind does not run such entries.</summary>
    ProcessDefinition? Define(Entry entry, EntrySet entries);
}
