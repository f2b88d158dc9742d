namespace Wisp.Hosting.Entries;

/// <summary>
/// A reference from one entry to another, kept with where it is written so that it can be checked once
/// every file is loaded. <see cref="AllowedKinds"/> empty means any kind will do.
/// </summary>
internal sealed record EntryReference(
    EntryId Target, string Role, IReadOnlyList<string> AllowedKinds, SourceLocation At, string? Entry, string Key)
{
    public void Check(IReadOnlyDictionary<EntryId, Entry> entries)
    {
        if (!entries.TryGetValue(Target, out var target))
            throw new EntryLoadException(At, Entry, Key, $"invalid {Role}: {Target}: no entry with that id");
        if (AllowedKinds.Count > 0 && !AllowedKinds.Contains(target.Kind))
            throw new EntryLoadException(At, Entry, Key,
                $"invalid {Role}: {Target} is a {target.Kind} (expected {string.Join(" or ", AllowedKinds)})");
    }
}
