namespace Wisp.Hosting.Entries;

/// <summary>
/// <c>process.dotnet</c>: a process whose body is the static method <see cref="Method"/> of the .NET type
/// <see cref="Type"/> (a type name, optionally assembly-qualified), found in the program's assemblies or in
/// <see cref="AssemblyPath"/>, an assembly file the entry names (absolute; it existed when the entry was loaded).
/// </summary>
public sealed record DotnetProcessEntry(
    EntryId Id, IReadOnlyDictionary<string, object?> Meta, SourceLocation Location, string Type, string Method,
    string? AssemblyPath = null)
    : Entry(Id, KindName, Meta, Location)
{
    public const string KindName = "process.dotnet";

    public override bool Runs => true;
}
