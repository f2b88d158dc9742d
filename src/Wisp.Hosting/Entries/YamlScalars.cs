using System.Collections.ObjectModel;
using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Wisp.Hosting.Entries;

/// <summary>
/// Turns YAML nodes into plain .NET values by the YAML 1.2 core schema: a plain (unquoted) scalar is null,
/// a bool, a long or a double when it reads as one, else a string; a quoted or <c>!!str</c> scalar is always
/// a string. Mappings become read-only dictionaries with string keys, sequences read-only lists. Public for
/// <see cref="Resolve"/>, the schema, which other readers of YAML share.
/// </summary>
public static partial class YamlScalars
{
    public static object? Resolve(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain || IsStrTag(scalar.Tag)) return text;
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL": return null;
            case "true" or "True" or "TRUE": return true;
            case "false" or "False" or "FALSE": return false;
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF": return double.PositiveInfinity;
            case "-.inf" or "-.Inf" or "-.INF": return double.NegativeInfinity;
            case ".nan" or ".NaN" or ".NAN": return double.NaN;
        }
        if (DecimalInteger().IsMatch(text))
            return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)
                ? (object)l
                : double.Parse(text, CultureInfo.InvariantCulture);   // too big for a long: keep it a number
        if (HexInteger().IsMatch(text)) return ParseRadix(text, 16);
        if (OctalInteger().IsMatch(text)) return ParseRadix(text, 8);
        if (Float().IsMatch(text)) return double.Parse(text, CultureInfo.InvariantCulture);
        return text;
    }

    private static bool IsStrTag(TagName tag) => !tag.IsEmpty && tag.Value == "tag:yaml.org,2002:str";

    // 0x… and 0o… integers; one too big for a long stays the text it was.
    private static object ParseRadix(string text, int radix)
    {
        long value = 0;
        foreach (char c in text.AsSpan(2))
        {
            int digit = char.IsAsciiDigit(c) ? c - '0' : char.ToLowerInvariant(c) - 'a' + 10;
            if (value > (long.MaxValue - digit) / radix) return text;
            value = value * radix + digit;
        }
        return value;
    }

    internal static bool IsNull(YamlNode node) => node is YamlScalarNode scalar && Resolve(scalar) is null;

    internal static object? ToPlain(YamlNode node, YamlScope scope, string path) => node switch
    {
        YamlScalarNode scalar => Resolve(scalar),
        YamlSequenceNode sequence => ToPlainList(sequence, scope, path),
        YamlMappingNode mapping => ToPlainMap(mapping, scope, path),
        _ => throw scope.Error(node, path, $"unsupported YAML node {node.NodeType}"),
    };

    private static IReadOnlyList<object?> ToPlainList(YamlSequenceNode sequence, YamlScope scope, string path) =>
        sequence.Children.Select((item, i) => ToPlain(item, scope, $"{path}[{i}]")).ToList().AsReadOnly();

    internal static IReadOnlyDictionary<string, object?> ToPlainMap(YamlMappingNode mapping, YamlScope scope, string path)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
                throw scope.Error(keyNode, path, $"keys must be strings, got {Describe(keyNode)}");
            var keyPath = path.Length == 0 ? key : $"{path}.{key}";
            if (!map.TryAdd(key, ToPlain(value, scope, keyPath)))
                throw scope.Error(keyNode, keyPath, $"duplicate key '{key}'");
        }
        return new ReadOnlyDictionary<string, object?>(map);
    }

    /// <summary>A node as an error message shows it: <c>'text'</c>, <c>null</c>, <c>a mapping</c>, <c>a sequence</c>.</summary>
    internal static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode scalar when Resolve(scalar) is null => "null",
        YamlScalarNode scalar => $"'{scalar.Value}'",
        YamlSequenceNode => "a sequence",
        YamlMappingNode => "a mapping",
        _ => node.NodeType.ToString(),
    };

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex DecimalInteger();

    [GeneratedRegex(@"^0x[0-9a-fA-F]+$")]
    private static partial Regex HexInteger();

    [GeneratedRegex(@"^0o[0-7]+$")]
    private static partial Regex OctalInteger();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();
}
