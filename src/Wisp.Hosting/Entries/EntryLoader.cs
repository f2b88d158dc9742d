// The entry file format (the seed runtime's _index.yaml):
//  - every *.yaml / *.yml file under the source directory, recursively, read in ordinal path order;
//  - a file is a mapping: 'namespace' (required; dot-separated segments of letters, digits, '_', '-'),
//    'version' (optional, any string) and either 'entries' (a sequence of entries) or one entry written
//    at the top level beside them; any other top-level key is an error;
//  - an entry has 'name' (letters, digits, '.', '_', '-'), 'kind', an optional free-form 'meta' map and the
//    kind's own keys (see EntryParser); its id is 'namespace:name'; unknown keys are errors, outside 'meta';
//  - a reference (process, host, lifecycle.requires) is 'ns:name' or a name in the file's own namespace;
//  - after every file is read, ids must be unique and references must name an entry of a fitting kind;
//  - a file nests at most 64 levels, holds at most 100000 nodes once its aliases are expanded, and each alias
//    refers to a node complete before it (BoundedYamlParser).
// Entries made in code (a .NET host's AddProcess, AddService) join the files' entries before the references are
// checked, so each may name the other's; a code entry's references are checked as a file's, at the place it was made.
// Loading stops at the first error, which is thrown as an EntryLoadException naming file, line, column and key.
namespace Wisp.Hosting.Entries;

/// <summary>Loads entry files into an <see cref="EntrySet"/>; see the top of this file for the format.</summary>
public static class EntryLoader
{
    public static EntrySet LoadDirectory(string sourceDirectory) => LoadDirectory(sourceDirectory, []);

    /// <summary>Loads the directory's files with <paramref name="overrides"/> applied (each must name an entry of them).</summary>
    public static EntrySet LoadDirectory(string sourceDirectory, IReadOnlyList<EntryOverride> overrides) =>
        Load(sourceDirectory, code: [], overrides);

    /// <summary>
    /// Loads the files of <paramref name="sourceDirectory"/> (none when it is null) with <paramref name="overrides"/>
    /// applied to them, and adds <paramref name="code"/>, entries made in code, after them.
    /// </summary>
    public static EntrySet Load(string? sourceDirectory, IReadOnlyList<Entry> code, IReadOnlyList<EntryOverride> overrides)
    {
        if (sourceDirectory is null) return Load([], code, overrides);
        if (!Directory.Exists(sourceDirectory))
            throw new DirectoryNotFoundException($"entry source directory not found: {sourceDirectory}");
        var files = Directory.EnumerateFiles(sourceDirectory, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal);
        return Load(files.Select(file => (file, File.ReadAllText(file))), code, overrides);
    }

    /// <summary>Loads the files in the order given; error messages name them as given.</summary>
    public static EntrySet LoadFiles(IEnumerable<string> files) =>
        Load(files.Select(file => (file, File.ReadAllText(file))), [], []);

    /// <summary>Loads one file's text as if read from <paramref name="fileName"/> (which need not exist).</summary>
    public static EntrySet LoadText(string fileName, string yaml, params IReadOnlyList<EntryOverride> overrides) =>
        Load([(fileName, yaml)], [], overrides);

    private static EntrySet Load(IEnumerable<(string File, string Yaml)> files, IReadOnlyList<Entry> code, IReadOnlyList<EntryOverride> overrides)
    {
        var entries = new List<Entry>();
        var references = new List<EntryReference>();
        var applied = new HashSet<EntryOverride>();
        foreach (var (file, yaml) in files)
            EntryFileParser.Parse(file, yaml, entries, references, overrides, applied);
        if (overrides.FirstOrDefault(o => !applied.Contains(o)) is { } unused)
            throw new WispException(ErrorKind.NotFound, $"override -o {unused.Text}: entry not found: {unused.Entry}");
        entries.AddRange(code);
        references.AddRange(code.SelectMany(ReferencesOf));

        var byId = new Dictionary<EntryId, Entry>();
        foreach (var entry in entries)
            if (!byId.TryAdd(entry.Id, entry))
                throw new EntryLoadException(entry.Location, entry.Id.ToString(), "name",
                    $"duplicate entry id '{entry.Id}' (first defined at {byId[entry.Id].Location})");
        foreach (var reference in references)
            reference.Check(byId);
        return new EntrySet(entries);
    }

    /// <summary>The references a code entry makes, as the parser records a file entry's, at the entry's location.</summary>
    private static IEnumerable<EntryReference> ReferencesOf(Entry entry)
    {
        string id = entry.Id.ToString();
        if (entry is ProcessServiceEntry service)
        {
            yield return new EntryReference(service.Process, "process", EntryParser.ProcessKinds, entry.Location, id, "process");
            yield return new EntryReference(service.Host, "host", EntryParser.HostKinds, entry.Location, id, "host");
        }
        var lifecycle = entry switch
        {
            ProcessServiceEntry s => s.Lifecycle,
            ProcessHostEntry h => h.Lifecycle,
            TerminalHostEntry t => t.Lifecycle,
            _ => null,
        };
        var requires = lifecycle?.Requires ?? [];
        for (int i = 0; i < requires.Count; i++)
            yield return new EntryReference(requires[i], "requirement", [], entry.Location, id, $"lifecycle.requires[{i}]");
    }
}
