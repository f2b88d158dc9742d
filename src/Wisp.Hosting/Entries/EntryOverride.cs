using YamlDotNet.RepresentationModel;

namespace Wisp.Hosting.Entries;

/// <summary>
/// A change to one entry's fields given on the command line, the reference's <c>-o ns:entry:field=value</c>
/// (<c>-o app:relay-service:lifecycle.auto_start=false</c>): the field, a dotted path inside the entry, is set to the
/// value before the entry is read, as if the file said so, so the value is checked as the file's would be (YAML's
/// scalars: <c>false</c> is a boolean, <c>10</c> an integer). An override that names no entry, or a path through a
/// value that is not a mapping, is an error.
/// </summary>
public sealed class EntryOverride
{
    private EntryOverride(string text, EntryId entry, string[] path, string value)
    {
        Text = text;
        Entry = entry;
        Path = path;
        Value = value;
    }

    public string Text { get; }
    public EntryId Entry { get; }
    public IReadOnlyList<string> Path { get; }
    public string Value { get; }

    /// <summary>Reads <c>ns:entry:field.path=value</c>; an Invalid error says what is wrong.</summary>
    public static EntryOverride Parse(string text)
    {
        int equals = text.IndexOf('=');
        int lastColon = equals < 0 ? -1 : text.LastIndexOf(':', equals);
        if (equals < 0 || lastColon < 0)
            throw Invalid(text, "expected ns:entry:field=value");
        if (!EntryId.TryParse(text[..lastColon], out var entry))
            throw Invalid(text, $"'{text[..lastColon]}' is not an entry id (namespace:name)");
        var path = text[(lastColon + 1)..equals].Split('.');
        if (path.Any(p => p.Length == 0)) throw Invalid(text, $"'{text[(lastColon + 1)..equals]}' is not a field path");
        return new EntryOverride(text, entry, path, text[(equals + 1)..]);
    }

    /// <summary>Sets the field in the entry's mapping, making the mappings on its path where they are missing.</summary>
    internal void ApplyTo(YamlMappingNode entry)
    {
        var node = entry;
        for (int i = 0; i < Path.Count - 1; i++)
        {
            var key = new YamlScalarNode(Path[i]);
            if (!node.Children.TryGetValue(key, out var next) || YamlScalars.IsNull(next)) node.Children[key] = next = new YamlMappingNode();
            node = next as YamlMappingNode
                ?? throw Invalid(Text, $"'{string.Join('.', Path.Take(i + 1))}' of {Entry} is not a mapping");
        }
        node.Children[new YamlScalarNode(Path[^1])] = new YamlScalarNode(Value) { Style = YamlDotNet.Core.ScalarStyle.Plain };
    }

    private static WispException Invalid(string text, string why) => new(ErrorKind.Invalid, $"override -o {text}: {why}");
}
