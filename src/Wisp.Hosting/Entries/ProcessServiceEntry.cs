namespace Wisp.Hosting.Entries;

/// <summary>
/// <c>process.service</c>: keeps one process of entry <see cref="Process"/> running on <see cref="Host"/>,
/// started with <see cref="Input"/> (plain .NET values) as its arguments.
/// </summary>
public sealed record ProcessServiceEntry(
    EntryId Id, IReadOnlyDictionary<string, object?> Meta, SourceLocation Location,
    EntryId Process, EntryId Host, IReadOnlyList<object?> Input, Lifecycle Lifecycle)
    : Entry(Id, KindName, Meta, Location)
{
    public const string KindName = "process.service";
}
