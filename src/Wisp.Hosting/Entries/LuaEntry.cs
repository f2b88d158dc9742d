namespace Wisp.Hosting.Entries;

/// <summary>
/// A Lua entry: <c>process.lua</c> (a process), <c>function.lua</c> (a function, called rather than spawned: each
/// call runs as a process of its own) or <c>library.lua</c> (code other Lua entries import under an alias, no
/// method). <see cref="Source"/> is the <c>file://</c> URI as written and <see cref="SourcePath"/> the absolute path
/// it names, resolved against the folder of the YAML file. The file is not read here: the Lua layer compiles it.
/// </summary>
public sealed record LuaEntry(
    EntryId Id, string Kind, IReadOnlyDictionary<string, object?> Meta, SourceLocation Location,
    string Source, string SourcePath, string Method, IReadOnlyList<string> Modules,
    IReadOnlyDictionary<string, EntryId> Imports)
    : Entry(Id, Kind, Meta, Location)
{
    public const string ProcessKind = "process.lua";
    public const string FunctionKind = "function.lua";
    public const string LibraryKind = "library.lua";

    /// <summary>A process or a function: something that runs (a library is only imported).</summary>
    public override bool Runs => Kind != LibraryKind;
}
