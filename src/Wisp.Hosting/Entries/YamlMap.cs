using System.Collections.ObjectModel;
using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Wisp.Hosting.Entries;

/// <summary>
/// Typed access to one YAML mapping that reports every problem at the node's location with the key's
/// dotted path. A key whose value is null (<c>key:</c> with nothing after it) counts as absent.
/// </summary>
internal sealed class YamlMap(YamlMappingNode node, YamlScope scope, string path)
{
    public YamlMappingNode Node => node;
    public YamlScope Scope => scope;

    public static YamlMap From(YamlNode node, YamlScope scope, string path) =>
        node is YamlMappingNode mapping
            ? new YamlMap(mapping, scope, path)
            : throw scope.Error(node, path.Length == 0 ? null : path, $"expected a mapping, got {YamlScalars.Describe(node)}");

    public string PathOf(string key) => path.Length == 0 ? key : $"{path}.{key}";

    public YamlMap WithScope(YamlScope newScope) => new(node, newScope, path);

    public EntryLoadException Error(YamlNode at, string key, string reason) => scope.Error(at, PathOf(key), reason);

    /// <summary>Fails on the first key not in <paramref name="known"/>, so that typos do not pass silently.</summary>
    public void RejectUnknownKeys(IReadOnlyCollection<string> known, string owner)
    {
        foreach (var keyNode in node.Children.Keys)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
                throw scope.Error(keyNode, path.Length == 0 ? null : path, $"keys must be strings, got {YamlScalars.Describe(keyNode)}");
            if (!known.Contains(key))
                throw Error(keyNode, key, $"unknown key '{key}' for {owner} (known keys: {string.Join(", ", known)})");
        }
    }

    /// <summary>Whether the key is written, even with a null value.</summary>
    public bool Contains(string key) => node.Children.Keys.Any(k => k is YamlScalarNode s && s.Value == key);

    /// <summary>The key's node, for locating an error about the key itself.</summary>
    public YamlNode KeyNode(string key) => node.Children.Keys.First(k => k is YamlScalarNode s && s.Value == key);

    public YamlNode? Find(string key)
    {
        foreach (var (k, value) in node.Children)
            if (k is YamlScalarNode s && s.Value == key)
                return YamlScalars.IsNull(value) ? null : value;
        return null;
    }

    public YamlNode Required(string key) =>
        Find(key) ?? throw scope.Error(node, PathOf(key), $"missing required key '{key}'");

    /// <summary>A non-empty string: an empty <c>type: ""</c> is as wrong as a missing one.</summary>
    public string RequiredString(string key) => NonEmpty(Required(key), key);

    /// <summary>A non-empty string, or null when absent.</summary>
    public string? OptionalString(string key) => Find(key) is { } value ? NonEmpty(value, key) : null;

    private string NonEmpty(YamlNode value, string key)
    {
        string text = Text(value, key);
        return text.Trim().Length > 0 ? text : throw Error(value, key, "must not be empty");
    }

    public bool Bool(string key, bool fallback) => Find(key) switch
    {
        null => fallback,
        YamlScalarNode s when YamlScalars.Resolve(s) is bool b => b,
        var other => throw Error(other, key, $"expected true or false, got {YamlScalars.Describe(other)}"),
    };

    /// <summary>An integer of at least <paramref name="min"/>, or null when absent.</summary>
    public int? Int(string key, int min)
    {
        if (Find(key) is not { } value) return null;
        if (value is not YamlScalarNode s || YamlScalars.Resolve(s) is not long l || l > int.MaxValue)
            throw Error(value, key, $"expected an integer, got {YamlScalars.Describe(value)}");
        if (l < min)
            throw Error(value, key, $"must be at least {min}, got {l}");
        return (int)l;
    }

    /// <summary>A number in <paramref name="min"/>..<paramref name="max"/> (no upper bound when null).</summary>
    public double Double(string key, double fallback, double min, double? max)
    {
        if (Find(key) is not { } value) return fallback;
        double d = value is YamlScalarNode s
            ? YamlScalars.Resolve(s) switch
            {
                long l => l,
                double x when double.IsFinite(x) => x,
                _ => throw Error(value, key, $"expected a number, got {YamlScalars.Describe(value)}"),
            }
            : throw Error(value, key, $"expected a number, got {YamlScalars.Describe(value)}");
        if (d < min || d > max)
            throw Error(value, key, max is null
                ? $"must be at least {Format(min)}, got {Format(d)}"
                : $"must be between {Format(min)} and {Format(max.Value)}, got {Format(d)}");
        return d;
    }

    /// <summary>
    /// A size in bytes of at least 1: an integer (bytes), or a number with a unit: B, KB, MB, GB (powers of 1000)
    /// or KiB, MiB, GiB (powers of 1024), e.g. <c>64MiB</c>; null when absent.
    /// </summary>
    public long? Size(string key)
    {
        if (Find(key) is not { } value) return null;
        if (value is YamlScalarNode scalar && YamlScalars.Resolve(scalar) is long bytes)
            return bytes >= 1 ? bytes : throw Error(value, key, $"must be at least 1 byte, got {bytes}");
        var text = Text(value, key);
        // ASCII digits: \d would also take other scripts' digits, which double.Parse refuses.
        var match = System.Text.RegularExpressions.Regex.Match(text, @"^\s*([0-9]+(?:\.[0-9]+)?)\s*(B|KB|MB|GB|KiB|MiB|GiB)\s*$",
            System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);
        if (!match.Success)
            throw Error(value, key, $"invalid size '{text}' (expected bytes, or a number with B, KB, MB, GB, KiB, MiB or GiB, e.g. 64MiB)");
        double factor = match.Groups[2].Value.ToUpperInvariant() switch
        {
            "KB" => 1e3, "MB" => 1e6, "GB" => 1e9, "KIB" => 1024, "MIB" => 1024 * 1024, "GIB" => 1024 * 1024 * 1024, _ => 1,
        };
        double size = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) * factor;
        return size is >= 1 and < long.MaxValue ? (long)size : throw Error(value, key, $"size out of range: '{text}'");
    }

    /// <summary>A Go duration (see <see cref="GoDuration"/>); never negative, and zero only if <paramref name="allowZero"/>.</summary>
    public TimeSpan Duration(string key, TimeSpan fallback, bool allowZero)
    {
        if (Find(key) is not { } value) return fallback;
        var text = Text(value, key);
        if (!GoDuration.TryParse(text, out var duration))
            throw Error(value, key, $"invalid duration '{text}' (expected e.g. 500ms, 10s, 1m30s)");
        if (duration < TimeSpan.Zero || (duration == TimeSpan.Zero && !allowZero))
            throw Error(value, key, $"duration must be {(allowZero ? "zero or more" : "positive")}, got '{text}'");
        return duration;
    }

    /// <summary>A free-form mapping as plain values (see <see cref="YamlScalars"/>); empty when absent.</summary>
    public IReadOnlyDictionary<string, object?> PlainMap(string key) =>
        Map(key) is { } map ? YamlScalars.ToPlainMap(map.Node, scope, PathOf(key)) : ReadOnlyDictionary<string, object?>.Empty;

    public YamlMap? Map(string key) => Find(key) is { } value ? From(value, scope, PathOf(key)) : null;

    /// <summary>The items of a sequence with their paths (<c>key[i]</c>); empty when absent.</summary>
    public IEnumerable<(YamlNode Node, string Path)> Sequence(string key)
    {
        if (Find(key) is not { } value) return [];
        if (value is not YamlSequenceNode sequence)
            throw Error(value, key, $"expected a sequence, got {YamlScalars.Describe(value)}");
        return sequence.Children.Select((item, i) => (item, $"{PathOf(key)}[{i}]"));
    }

    /// <summary>A scalar's text: any non-null scalar is accepted where a string is wanted (so <c>version: 1.0</c> works).</summary>
    public string Text(YamlNode value, string key) => TextAt(value, PathOf(key));

    public string TextAt(YamlNode value, string keyPath) =>
        value is YamlScalarNode s && YamlScalars.Resolve(s) is not null
            ? s.Value ?? ""
            : throw scope.Error(value, keyPath, $"expected a string, got {YamlScalars.Describe(value)}");

    private static string Format(double d) => d.ToString(CultureInfo.InvariantCulture);
}
