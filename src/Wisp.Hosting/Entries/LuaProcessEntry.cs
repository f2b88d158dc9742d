namespace Wisp.Hosting.Entries;

/// <summary>
/// <c>process.lua</c>: a Lua process. <see cref="Source"/> is the <c>file://</c> URI as written and
/// <see cref="SourcePath"/> the absolute path it names, resolved against the folder of the YAML file.
/// The file is not checked here: Wisp loads such entries but does not run Lua.
/// </summary>
public sealed record LuaProcessEntry(
    EntryId Id, IReadOnlyDictionary<string, object?> Meta, SourceLocation Location,
    string Source, string SourcePath, string Method, IReadOnlyList<string> Modules,
    IReadOnlyDictionary<string, EntryId> Imports)
    : Entry(Id, KindName, Meta, Location)
{
    public const string KindName = "process.lua";
}
