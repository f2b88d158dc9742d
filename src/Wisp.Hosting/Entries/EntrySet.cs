using System.Diagnostics.CodeAnalysis;

namespace Wisp.Hosting.Entries;

/// <summary>The loaded entries, in file order then in order within each file, indexed by id.</summary>
public sealed class EntrySet
{
    private readonly Dictionary<EntryId, Entry> byId = [];

    /// <exception cref="ArgumentException">Two entries share an id.</exception>
    public EntrySet(IEnumerable<Entry> entries)
    {
        All = entries.ToList().AsReadOnly();
        foreach (var entry in All)
            if (!byId.TryAdd(entry.Id, entry))
                throw new ArgumentException($"duplicate entry id '{entry.Id}'", nameof(entries));
    }

    public IReadOnlyList<Entry> All { get; }

    public Entry? Find(EntryId id) => byId.GetValueOrDefault(id);

    public bool TryGet<T>(EntryId id, [MaybeNullWhen(false)] out T entry) where T : Entry
    {
        entry = Find(id) as T;
        return entry is not null;
    }

    public IEnumerable<T> OfType<T>() where T : Entry => All.OfType<T>();
}
