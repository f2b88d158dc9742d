namespace Wisp.Hosting.Entries;

/// <summary>
/// One configured entry. <see cref="Meta"/> is the entry's free-form <c>meta</c> map as plain .NET values
/// (string, long, double, bool, null, <see cref="IReadOnlyList{T}"/>, <see cref="IReadOnlyDictionary{TKey,TValue}"/>);
/// <see cref="Location"/> is where the entry's <c>name</c> is written.
/// </summary>
public abstract record Entry(EntryId Id, string Kind, IReadOnlyDictionary<string, object?> Meta, SourceLocation Location)
{
    /// <summary>The entry's other keys (all but <c>name</c>, <c>kind</c> and <c>meta</c>) as plain values: what the registry calls its data.</summary>
    public IReadOnlyDictionary<string, object?> Data { get; init; } = System.Collections.ObjectModel.ReadOnlyDictionary<string, object?>.Empty;

    /// <summary>Whether the entry runs as a process (a process or a function entry; not a host, a service, a library or data).</summary>
    public virtual bool Runs => false;
}

/// <summary><c>registry.entry</c>: a plain data entry, its <see cref="Entry.Data"/> any keys the file gives.</summary>
public sealed record DataEntry(EntryId Id, IReadOnlyDictionary<string, object?> Meta, SourceLocation Location)
    : Entry(Id, KindName, Meta, Location)
{
    public const string KindName = "registry.entry";
}
