using System.Text;
using Wisp.Hosting.Entries;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Wisp.Lua;

/// <summary>
/// The <c>yaml/plain</c> payload format: payload values to YAML text and back, with YamlDotNet and the YAML 1.2 core
/// schema the entry files are read with (<see cref="YamlScalars"/>). Written with what a reader of the reference's
/// Go YAML relies on: maps with their keys in order, floats in Go's shortest form, a string that would read back as
/// something else quoted, a byte string as <c>!!binary</c> (YamlDotNet's indentation). Read: the first document; keys are their text (as the reference
/// gives them to Lua), scalars by the schema. A table that contains itself, and nesting past
/// <see cref="LuaValues.MaxDepth"/>, are Invalid errors.
/// </summary>
internal static class PayloadYaml
{
    private const string BinaryTag = "tag:yaml.org,2002:binary";

    public static byte[] Encode(object? value)
    {
        var text = new StringWriter();
        var emitter = new Emitter(text);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: true));
        Emit(emitter, value, new HashSet<object>(ReferenceEqualityComparer.Instance));
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>The value of YAML text; a <see cref="YamlException"/> or an Invalid <see cref="WispException"/> says why it has none.</summary>
    public static object? Decode(ReadOnlySpan<byte> text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(Encoding.UTF8.GetString(text)));
        return stream.Documents.Count == 0 ? null : Value(stream.Documents[0].RootNode, 0);
    }

    private static void Emit(IEmitter emitter, object? value, HashSet<object> open)
    {
        switch (value)
        {
            case null:
                emitter.Emit(Plain("null"));
                break;
            case bool b:
                emitter.Emit(Plain(b ? "true" : "false"));
                break;
            case long l:
                emitter.Emit(Plain(l.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                break;
            case double d:
                emitter.Emit(Plain(double.IsNaN(d) ? ".nan" : double.IsInfinity(d) ? (d > 0 ? ".inf" : "-.inf") : GoValueText.Float(d)));
                break;
            case string s:
                emitter.Emit(Text(s));
                break;
            case byte[] bytes:
                emitter.Emit(new Scalar(AnchorName.Empty, new TagName(BinaryTag), Convert.ToBase64String(bytes), ScalarStyle.Plain, false, false));
                break;
            case PayloadList or PayloadMap when !open.Add(value):
                throw new WispException(ErrorKind.Invalid, "a table that contains itself cannot be written as YAML");
            case PayloadList list:
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, SequenceStyle.Block));
                foreach (var item in list) Emit(emitter, item, open);
                emitter.Emit(new SequenceEnd());
                open.Remove(list);
                break;
            case PayloadMap map:
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, MappingStyle.Block));
                foreach (var (key, item) in map.Entries.Select(e => (Key: GoValueText.KeyText(e.Key), e.Value)).OrderBy(e => e.Key, StringComparer.Ordinal))
                {
                    emitter.Emit(Text(key));
                    Emit(emitter, item, open);
                }
                emitter.Emit(new MappingEnd());
                open.Remove(map);
                break;
            case ProcessError error:
                emitter.Emit(Text(error.Message));
                break;
            default:
                emitter.Emit(Text(value.ToString() ?? ""));
                break;
        }
    }

    private static Scalar Plain(string text) => new(AnchorName.Empty, TagName.Empty, text, ScalarStyle.Plain, true, false);

    /// <summary>A string, quoted when its plain form would read back as something else (<c>"42"</c>, <c>"true"</c>, <c>""</c>).</summary>
    private static Scalar Text(string s) =>
        YamlScalars.Resolve(new YamlScalarNode(s) { Style = ScalarStyle.Plain }) is string same && same == s
            ? new Scalar(AnchorName.Empty, TagName.Empty, s, ScalarStyle.Any, true, true)
            : new Scalar(AnchorName.Empty, TagName.Empty, s, ScalarStyle.DoubleQuoted, false, true);

    private static object? Value(YamlNode node, int depth)
    {
        if (depth >= LuaValues.MaxDepth) throw new WispException(ErrorKind.Invalid, $"YAML nested deeper than {LuaValues.MaxDepth} levels");
        switch (node)
        {
            case YamlScalarNode scalar when !scalar.Tag.IsEmpty && scalar.Tag.Value == BinaryTag:
                try
                {
                    return Convert.FromBase64String(scalar.Value ?? "");
                }
                catch (FormatException e)
                {
                    throw new WispException(ErrorKind.Invalid, $"a !!binary value at line {scalar.Start.Line} is not base64: {e.Message}");
                }
            case YamlScalarNode scalar:
                return YamlScalars.Resolve(scalar);
            case YamlSequenceNode sequence:
                var list = new PayloadList(sequence.Children.Count);
                foreach (var item in sequence.Children) list.Add(Value(item, depth + 1));
                return list;
            case YamlMappingNode mapping:
                var map = new PayloadMap(mapping.Children.Count);
                foreach (var (key, item) in mapping.Children)
                {
                    if (key is not YamlScalarNode { Value: { } name })
                        throw new WispException(ErrorKind.Invalid, $"a YAML key at line {key.Start.Line} is not a scalar");
                    map.Add(name, Value(item, depth + 1));
                }
                return map;
            default:
                throw new WispException(ErrorKind.Invalid, $"unsupported YAML node {node.NodeType} at line {node.Start.Line}");
        }
    }
}
