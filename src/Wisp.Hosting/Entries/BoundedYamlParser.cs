using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Wisp.Hosting.Entries;

/// <summary>
/// The YAML event stream of an entry file with limits, so that no input can exhaust the stack or the memory of the
/// code that walks its nodes (YamlDotNet's node model and the entry parser both recurse): nesting deeper than
/// <see cref="MaxDepth"/>, an alias to no anchor before it (YAML requires one), an alias inside the node its anchor
/// names (a node that contains itself), and a document of more than <see cref="MaxNodes"/> nodes once its aliases
/// are expanded are YAML errors at the offending event.
/// </summary>
internal sealed class BoundedYamlParser(IParser inner) : IParser
{
    public const int MaxDepth = 64;
    public const long MaxNodes = 100_000;

    private readonly List<long> _open = [0];                      // per open collection (the document at the bottom): its nodes so far
    private readonly List<AnchorName> _anchors = [AnchorName.Empty];   // per open collection: its anchor
    private readonly Dictionary<AnchorName, long?> _sizes = [];   // per anchor: its node's expanded size; null while that node is open

    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        if (!inner.MoveNext()) return false;
        switch (inner.Current)
        {
            case Scalar scalar:
                if (!scalar.Anchor.IsEmpty) _sizes[scalar.Anchor] = 1;
                Add(1, scalar);
                break;
            case DocumentStart:
                _sizes.Clear();   // anchors are per document
                break;
            case AnchorAlias alias:
                // YamlDotNet would keep an alias to an anchor not yet complete as a placeholder node, whose
                // comparison as a mapping key recurses without end.
                if (!_sizes.TryGetValue(alias.Value, out long? size))
                    throw new YamlException(alias.Start, alias.End, $"the alias *{alias.Value} refers to no anchor before it");
                if (size is not { } aliased)
                    throw new YamlException(alias.Start, alias.End, $"the alias *{alias.Value} is inside the node it refers to");
                Add(aliased, alias);
                break;
            case NodeEvent start and (MappingStart or SequenceStart):
                if (_open.Count > MaxDepth) throw new YamlException(start.Start, start.End, $"nested deeper than {MaxDepth} levels");
                if (!start.Anchor.IsEmpty) _sizes[start.Anchor] = null;
                _open.Add(0);
                _anchors.Add(start.Anchor);
                break;
            case MappingEnd or SequenceEnd when _open.Count > 1:
                long nodes = _open[^1] + 1;
                var anchor = _anchors[^1];
                _open.RemoveAt(_open.Count - 1);
                _anchors.RemoveAt(_anchors.Count - 1);
                if (!anchor.IsEmpty) _sizes[anchor] = nodes;
                Add(nodes, inner.Current);
                break;
        }
        return true;
    }

    private void Add(long nodes, ParsingEvent at)
    {
        _open[^1] += nodes;
        if (_open[^1] > MaxNodes)
            throw new YamlException(at.Start, at.End, $"more than {MaxNodes} nodes once aliases are expanded");
    }
}
