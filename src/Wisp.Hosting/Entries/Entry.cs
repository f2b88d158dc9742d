namespace Wisp.Hosting.Entries;

/// <summary>
/// One configured entry. <see cref="Meta"/> is the entry's free-form <c>meta</c> map as plain .NET values
/// (string, long, double, bool, null, <see cref="IReadOnlyList{T}"/>, <see cref="IReadOnlyDictionary{TKey,TValue}"/>);
/// <see cref="Location"/> is where the entry's <c>name</c> is written.
/// </summary>
public abstract record Entry(EntryId Id, string Kind, IReadOnlyDictionary<string, object?> Meta, SourceLocation Location);
