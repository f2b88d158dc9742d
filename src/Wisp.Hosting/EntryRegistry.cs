using System.Collections.Immutable;
using System.Globalization;
using Wisp.Hosting.Entries;

namespace Wisp.Hosting;

/// <summary>An entry as the registry gives it: its id, kind, meta and data (plain values).</summary>
public sealed record RegistryEntry(EntryId Id, string Kind, IReadOnlyDictionary<string, object?> Meta, object? Data);

public enum RegistryChangeKind { Create, Update, Delete }

/// <summary>One operation of a changeset: create or update carry the entry, delete its id.</summary>
public sealed record RegistryChange(RegistryChangeKind Kind, EntryId Id, RegistryEntry? Entry = null);

/// <summary>
/// The node's entries as a versioned registry (the reference's <c>registry</c>): version 1 is what the entry files
/// hold; applying a changeset makes the next version from the current one; <see cref="ApplyVersion"/> makes any
/// existing version current again (a roll back or forward). Changes are seen by later reads of the registry; they do
/// not change what the node runs (a process or function is defined by its file entry at the first spawn).
/// Every host offers it to its processes as a feature.
///
/// Invariants: every version is an immutable map, kept for the node's life, id = index + 1; writers take the lock;
/// readers take a version without it (a version's map is never changed).
/// </summary>
public sealed class EntryRegistry
{
    private readonly Lock _lock = new();
    private ImmutableList<ImmutableSortedDictionary<string, RegistryEntry>> _versions;
    private long _current = 1;

    internal EntryRegistry(EntrySet entries)
    {
        var first = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal,
            entries.All.Select(e => KeyValuePair.Create(e.Id.ToString(), new RegistryEntry(e.Id, e.Kind, e.Meta, e.Data))));
        _versions = [first];
    }

    public long CurrentVersion => Volatile.Read(ref _current);

    /// <summary>Every version's id, oldest first.</summary>
    public IReadOnlyList<long> Versions => Enumerable.Range(1, Volatile.Read(ref _versions).Count).Select(i => (long)i).ToList();

    /// <summary>The entries of <paramref name="version"/> (the current one if null), by id; null for a version that does not exist.</summary>
    public IReadOnlyDictionary<string, RegistryEntry>? Snapshot(long? version = null)
    {
        var versions = Volatile.Read(ref _versions);
        long id = version ?? CurrentVersion;
        return id >= 1 && id <= versions.Count ? versions[(int)id - 1] : null;
    }

    /// <summary>
    /// Applies <paramref name="changes"/> to the current version, all or nothing: the new version's id. A create of
    /// an existing id, an update or delete of a missing one, or no change at all is an error.
    /// </summary>
    public long Apply(IReadOnlyList<RegistryChange> changes)
    {
        if (changes.Count == 0) throw new WispException(ErrorKind.Invalid, "no changes to apply");
        lock (_lock)
        {
            var entries = _versions[(int)_current - 1].ToBuilder();
            foreach (var change in changes)
            {
                string key = change.Id.ToString();
                switch (change.Kind)
                {
                    case RegistryChangeKind.Create when entries.ContainsKey(key):
                        throw new WispException(ErrorKind.AlreadyExists, $"entry already exists: {key}");
                    case RegistryChangeKind.Update or RegistryChangeKind.Delete when !entries.ContainsKey(key):
                        throw new WispException(ErrorKind.NotFound, $"entry not found: {key}");
                    case RegistryChangeKind.Delete:
                        entries.Remove(key);
                        break;
                    default:
                        entries[key] = change.Entry ?? throw new WispException(ErrorKind.Invalid, $"{change.Kind} of {key} carries no entry");
                        break;
                }
            }
            _versions = _versions.Add(entries.ToImmutable());
            Volatile.Write(ref _current, _versions.Count);
            return _current;
        }
    }

    /// <summary>Makes <paramref name="version"/> the current one.</summary>
    public void ApplyVersion(long version)
    {
        lock (_lock)
        {
            if (version < 1 || version > _versions.Count) throw new WispException(ErrorKind.NotFound, $"version not found: {version}");
            Volatile.Write(ref _current, version);
        }
    }

    /// <summary>
    /// The entries matching every field of <paramref name="filter"/>, by id: <c>.id</c>, <c>.ns</c>, <c>.name</c> and
    /// <c>.kind</c> are the entry's own; <c>meta.x</c> (or a bare <c>x</c>) its meta field x. A value matches by its
    /// text; <c>*</c> in a string matches any run of characters.
    /// </summary>
    public static IEnumerable<RegistryEntry> Find(IEnumerable<RegistryEntry> entries, IReadOnlyDictionary<string, object?> filter)
    {
        var tests = filter.Select(pair => (Field: pair.Key, Match: Matcher(pair.Value))).ToList();
        return entries.Where(entry => tests.All(test => Field(entry, test.Field) is { } value && test.Match(value)));
    }

    private static string? Field(RegistryEntry entry, string field) => field switch
    {
        ".id" => entry.Id.ToString(),
        ".ns" => entry.Id.Namespace,
        ".name" => entry.Id.Name,
        ".kind" => entry.Kind,
        _ => Text(entry.Meta.GetValueOrDefault(field.StartsWith("meta.", StringComparison.Ordinal) ? field[5..] : field)),
    };

    private static Func<string, bool> Matcher(object? wanted)
    {
        var text = Text(wanted) ?? "";
        if (wanted is not string s || !s.Contains('*')) return value => value == text;
        return Glob.Compile(s).IsMatch;
    }

    private static string? Text(object? value) => value switch
    {
        null => null,
        string s => s,
        bool b => b ? "true" : "false",
        double d => PayloadText.Number(d),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
