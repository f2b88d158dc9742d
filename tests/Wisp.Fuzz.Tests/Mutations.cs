using System.Buffers.Binary;
using System.Text;
using CsCheck;

namespace Wisp.Fuzz;

/// <summary>
/// A fuzzer's mutations of seed inputs, as CsCheck generators (a failure shrinks to fewer and smaller edits of the
/// same seed). On bytes: a bit flipped, a byte set to an edge value, a byte inserted, a range deleted or duplicated,
/// the input truncated, a token of the format inserted, a 32-bit edge value written over four bytes, a splice with
/// another seed. On text, besides those (on its UTF-8): a line deleted, duplicated, swapped or re-indented, a key
/// renamed, a value replaced, any character inserted (controls, digits of other scripts, astral and lone surrogates).
/// </summary>
internal static class Mutations
{
    private readonly record struct Edit(int Kind, int A, int B, int C);

    private const int ByteKinds = 9, TextKinds = ByteKinds + 8;

    private static readonly Gen<Edit> Edits =
        Gen.Select(Gen.Int[0, TextKinds - 1], Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue],
            (kind, a, b, c) => new Edit(kind, a, b, c));

    private static readonly byte[] EdgeBytes = [0x00, 0x01, 0x7f, 0x80, 0xff, 0xc0, 0xc1, 0xd4, 0xd8, 0xd9, 0xdb, 0xc4, 0xc6, 0xc7, 0xc9, 0xdc, 0xdd, 0xde, 0xdf, 0x90, 0x9f, 0x80, 0x8f, 0xcf, 0xd3];
    private static readonly uint[] EdgeInts = [0, 1, 0x7f, 0x80, 0xff, 0xffff, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

    /// <summary>Inputs made by 1 to 6 edits of one of <paramref name="seeds"/>; <paramref name="tokens"/> are the format's own pieces.</summary>
    public static Gen<byte[]> OfBytes(IReadOnlyList<byte[]> seeds, IReadOnlyList<byte[]> tokens) =>
        Gen.Select(Gen.Int[0, seeds.Count - 1], Edits.Array[1, 6],
            (seed, edits) => edits.Aggregate(seeds[seed], (bytes, edit) => Bytes(bytes, edit with { Kind = edit.Kind % ByteKinds }, seeds, tokens)));

    /// <summary>Texts made by 1 to 6 edits of one of <paramref name="seeds"/>, line-wise, character-wise or byte-wise.</summary>
    public static Gen<string> OfText(IReadOnlyList<string> seeds, IReadOnlyList<string> tokens)
    {
        var seedBytes = seeds.Select(Encoding.UTF8.GetBytes).ToArray();
        var tokenBytes = tokens.Select(Encoding.UTF8.GetBytes).ToArray();
        return Gen.Select(Gen.Int[0, seeds.Count - 1], Edits.Array[1, 6],
            (seed, edits) => edits.Aggregate(seeds[seed], (text, edit) => edit.Kind < ByteKinds
                ? Encoding.UTF8.GetString(Bytes(Encoding.UTF8.GetBytes(text), edit, seedBytes, tokenBytes))
                : Text(text, edit, tokens)));
    }

    private static byte[] Bytes(byte[] input, Edit edit, IReadOnlyList<byte[]> seeds, IReadOnlyList<byte[]> tokens)
    {
        var bytes = new List<byte>(input);
        int n = bytes.Count, at = n == 0 ? 0 : edit.A % n, cut = edit.A % (n + 1);
        switch (edit.Kind)
        {
            case 0 when n > 0:
                bytes[at] ^= (byte)(1 << (edit.B % 8));
                break;
            case 1 when n > 0:
                bytes[at] = EdgeBytes[edit.B % EdgeBytes.Length];
                break;
            case 2:
                bytes.Insert(cut, (byte)edit.B);
                break;
            case 3 when n > 0:
                bytes.RemoveRange(at, Math.Min(1 + edit.B % 16, n - at));
                break;
            case 4 when n > 0:
                bytes.InsertRange(edit.C % (n + 1), bytes.GetRange(at, Math.Min(1 + edit.B % 16, n - at)));
                break;
            case 5:
                bytes.RemoveRange(cut, n - cut);
                break;
            case 6 when tokens.Count > 0:
                bytes.InsertRange(cut, tokens[edit.B % tokens.Count]);
                break;
            case 7 when n >= 4:
                var span = new byte[4];
                BinaryPrimitives.WriteUInt32BigEndian(span, EdgeInts[edit.B % EdgeInts.Length]);
                for (int i = 0; i < 4; i++) bytes[(edit.A % (n - 3)) + i] = span[i];
                break;
            case 8:
                var other = seeds[edit.B % seeds.Count];
                bytes.RemoveRange(cut, n - cut);
                bytes.AddRange(other.Skip(edit.C % (other.Length + 1)));
                break;
        }
        return [.. bytes];
    }

    private static string Text(string text, Edit edit, IReadOnlyList<string> tokens)
    {
        var lines = text.Split('\n').ToList();
        int line = edit.A % lines.Count, other = edit.B % lines.Count;
        switch (edit.Kind - ByteKinds)
        {
            case 0:
                lines.RemoveAt(line);
                break;
            case 1:
                lines.Insert(other, lines[line]);
                break;
            case 2:
                (lines[line], lines[other]) = (lines[other], lines[line]);
                break;
            case 3:
                int indent = lines[line].Length - lines[line].TrimStart(' ').Length, delta = edit.C % 9 - 4;
                lines[line] = new string(edit.C % 11 == 0 ? '\t' : ' ', Math.Max(0, indent + delta)) + lines[line].TrimStart(' ');
                break;
            case 4:
                lines[line] = WithKey(lines[line], edit.C % 2 == 0 ? KeyOf(lines[other]) : tokens[edit.C % tokens.Count]);
                break;
            case 5:
                lines[line] = WithValue(lines[line], edit.C % 2 == 0 ? ValueOf(lines[other]) : tokens[edit.C % tokens.Count]);
                break;
            case 6:
                return text.Insert(edit.A % (text.Length + 1), AnyCharacter(edit.B));
            case 7:
                return text.Insert(edit.A % (text.Length + 1), tokens[edit.B % tokens.Count]);
        }
        return string.Join('\n', lines);
    }

    /// <summary>A line's key: what stands before its first ': ' (or a final ':'), after the indentation and any '- '.</summary>
    private static (string Prefix, string Key, string Tail) Split(string line)
    {
        int start = line.Length - line.TrimStart(' ', '-').Length;
        int colon = line.IndexOf(": ", start, StringComparison.Ordinal);
        if (colon < 0) colon = line.EndsWith(':') ? line.Length - 1 : -1;
        return colon < 0 ? (line[..start], "", line[start..]) : (line[..start], line[start..colon], line[colon..]);
    }

    private static string KeyOf(string line) => Split(line).Key;

    private static string ValueOf(string line) => Split(line).Tail is [':', ' ', .. var value] ? value : Split(line).Tail;

    private static string WithKey(string line, string key) => Split(line) is var (prefix, _, rest) ? prefix + key + rest : line;

    private static string WithValue(string line, string value) =>
        Split(line) is var (prefix, key, rest) && key.Length > 0 ? $"{prefix}{key}: {value}" : line + value;

    /// <summary>A character (or surrogate pair) from a class that readers of text get wrong.</summary>
    private static string AnyCharacter(int pick)
    {
        int n = pick >> 3;
        return (pick & 7) switch
        {
            0 => ((char)(n % 32)).ToString(),                                           // C0 controls, NUL included
            1 => ((char)(0x80 + n % 0x80)).ToString(),                                  // C1 controls and Latin-1
            2 => char.ConvertFromUtf32(new[] { 0x0663, 0x06F5, 0x0969, 0xFF13, 0x1D7D9 }[n % 5]),   // digits of other scripts
            3 => char.ConvertFromUtf32(new[] { 0xFEFF, 0x200B, 0x2028, 0x2029, 0x0085, 0x00A0, 0xFFFD, 0xB5 }[n % 8]),
            4 => ((char)(0xD800 + n % 0x800)).ToString(),                               // a lone surrogate
            5 => char.ConvertFromUtf32(0x10000 + n % 0xFFFFF),                          // astral
            _ => ((char)(0x100 + n % 0xD700)).ToString(),                               // the rest of the BMP below the surrogates
        };
    }
}
