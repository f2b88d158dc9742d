using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Wisp.Hosting.Entries;

/// <summary>
/// Reads one YAML file: its namespace, then either its <c>entries:</c> sequence or the single entry written
/// at the top level. YAML syntax errors become <see cref="EntryLoadException"/>s at the same place.
/// </summary>
internal static class EntryFileParser
{
    private static readonly string[] FileKeys = ["version", "namespace", "entries"];
    private static readonly string[] SingleEntryFileKeys = ["version", "namespace"];

    public static void Parse(string file, string yaml, List<Entry> entries, List<EntryReference> references,
        IReadOnlyList<EntryOverride> overrides, HashSet<EntryOverride> applied)
    {
        var scope = new YamlScope(file, Entry: null);
        var root = YamlMap.From(LoadDocument(file, yaml), scope, path: "");

        var nsNode = root.Required("namespace");
        var ns = root.Text(nsNode, "namespace");
        if (!EntryId.IsValidNamespace(ns))
            throw root.Error(nsNode, "namespace",
                $"invalid namespace '{ns}' (expected dot-separated segments of letters, digits, '_' or '-')");
        root.OptionalString("version");   // any version string is accepted; only its shape is checked

        var parser = new EntryParser(ns, Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".", references);
        if (!root.Contains("entries") && (root.Contains("name") || root.Contains("kind")))
        {
            Override(ns, root.Node, overrides, applied);
            entries.Add(parser.Parse(root, SingleEntryFileKeys));
            return;
        }

        root.RejectUnknownKeys(FileKeys, "a file");
        if (!root.Contains("entries"))
            throw scope.Error(root.Node, "entries", "missing 'entries' (or a single entry with 'name' and 'kind' at the top level)");
        int index = 0;
        foreach (var (node, _) in root.Sequence("entries"))
        {
            var entryScope = scope with { Entry = $"entries[{index++}]" };
            if (node is YamlMappingNode mapping) Override(ns, mapping, overrides, applied);
            entries.Add(parser.Parse(YamlMap.From(node, entryScope, path: ""), []));
        }
    }

    /// <summary>Applies the overrides aimed at this entry (known by its namespace and name) to its mapping.</summary>
    private static void Override(string ns, YamlMappingNode entry, IReadOnlyList<EntryOverride> overrides, HashSet<EntryOverride> applied)
    {
        if (overrides.Count == 0) return;
        if (!entry.Children.TryGetValue(new YamlScalarNode("name"), out var nameNode) || nameNode is not YamlScalarNode { Value: { } name }) return;
        foreach (var entryOverride in overrides)
            if (entryOverride.Entry.Namespace == ns && entryOverride.Entry.Name == name)
            {
                entryOverride.ApplyTo(entry);
                applied.Add(entryOverride);
            }
    }

    private static YamlNode LoadDocument(string file, string yaml)
    {
        var stream = new YamlStream();
        var scanner = new Scanner(new StringReader(yaml));
        try
        {
            stream.Load(new BoundedYamlParser(new Parser(scanner)));
        }
        catch (YamlException e)
        {
            throw new EntryLoadException(new SourceLocation(file, (int)e.Start.Line, (int)e.Start.Column), null, null,
                $"invalid YAML: {e.Message}", e);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet fails so on some malformed input (an unclosed flow collection in a block, a key without a
            // value before a dedent): the scanner's position is where it stopped.
            throw new EntryLoadException(new SourceLocation(file, (int)scanner.CurrentPosition.Line, (int)scanner.CurrentPosition.Column), null, null,
                "invalid YAML: the parser stopped here", e);
        }
        return stream.Documents.Count switch
        {
            0 => throw new EntryLoadException(new SourceLocation(file, 1, 1), null, null,
                "the file is empty (expected 'namespace' and 'entries')"),
            1 => stream.Documents[0].RootNode,
            _ => throw new YamlScope(file, null).Error(stream.Documents[1].RootNode, null, "a file holds one YAML document, not several"),
        };
    }
}
