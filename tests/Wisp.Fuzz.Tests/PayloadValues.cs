using CsCheck;

namespace Wisp.Fuzz;

/// <summary>
/// Generators of the neutral payload model (nil, booleans, integers, floats, strings, byte strings, lists, maps with
/// scalar keys, PIDs, errors, encoded payloads) and of valid PIDs, shared by the PID, payload and wire targets.
/// Strings are valid Unicode: the encoding writes UTF-8, which has no form for a lone surrogate.
/// </summary>
internal static class PayloadValues
{
    private static readonly Gen<char> Character = Gen.Frequency(
        (6, Gen.Char['a', 'z']), (2, Gen.Char[' ', '~']), (1, Gen.Char['\u0000', '\u001f']), (2, Gen.Char['\u00a0', '\ud7ff']));

    public static readonly Gen<string> Text = Gen.String[Character, 0, 24];

    private static readonly Gen<string> Word = Gen.String[Gen.Char['a', 'z'], 1, 8];

    /// <summary>Valid PIDs: an optional node, a host named <c>ns:name</c>, an id of any width, any creation.</summary>
    public static readonly Gen<Pid> Pids = Gen.Select(
        Gen.OneOf(Gen.Const(""), Word.Select(w => w + "-1")),
        Gen.Select(Word, Word, (ns, name) => $"{ns}:{name}"),
        Gen.Frequency((3, Gen.ULong[1, 0xfffff]), (1, Gen.ULong[1, ulong.MaxValue])),
        Gen.Frequency((3, Gen.Const(0u)), (1, Gen.UInt)),
        (node, host, id, creation) => new Pid(node, host, id, creation));

    private static readonly Gen<object?> Scalar = Gen.OneOf<object?>(
        Gen.Const<object?>(() => null),
        Gen.Bool.Select(b => (object?)b),
        Gen.Long.Select(l => (object?)l),
        Gen.Int[-40, 40].Select(i => (object?)(long)i),
        Gen.Double.Select(d => (object?)d),
        Text.Select(s => (object?)s),
        Gen.Byte.Array[0, 16].Select(b => (object?)b),
        Pids.Select(p => (object?)p),
        Gen.Select(Word, Gen.Byte.Array[0, 8], (format, data) => (object?)new EncodedPayload(format, data)));

    private static readonly Gen<object> Key = Gen.OneOf<object>(
        Text.Select(s => (object)s), Gen.Long.Select(l => (object)l), Gen.Double.Select(d => (object)d), Gen.Bool.Select(b => (object)b));

    /// <summary>Payload values nested up to four levels.</summary>
    public static readonly Gen<object?> Values = Nested(4);

    private static Gen<object?> Nested(int depth)
    {
        if (depth == 0) return Scalar;
        var inner = Nested(depth - 1);
        return Gen.Frequency(
            (4, Scalar),
            (1, inner.Array[0, 5].Select(items => (object?)new PayloadList(items))),
            (1, Gen.Select(Key, inner).Array[0, 5].Select(entries => (object?)MapOf(entries))),
            (1, Gen.Select(Text, Gen.Enum<ErrorKind>(), Gen.Bool.Nullable(), inner,
                (message, kind, retryable, details) => (object?)new ProcessError(message, kind, retryable) { Details = details })));
    }

    private static PayloadMap MapOf((object Key, object? Value)[] entries)
    {
        var map = new PayloadMap(entries.Length);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in entries)
            if (key is not string name || names.Add(name)) map.Add(key, value);
        return map;
    }
}
