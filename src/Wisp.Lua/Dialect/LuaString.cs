using System.Text;

namespace Wisp.Lua.Dialect;

/// <summary>
/// The bytes a string token stands for (every escape of Lua 5.4 decoded, a long string's first newline dropped and
/// its line breaks made '\n'), and a string literal on one line that stands for given bytes.
/// </summary>
internal static class LuaString
{
    /// <summary>Decodes a string token the tokenizer accepted.</summary>
    public static byte[] Decode(string token)
    {
        var bytes = new List<byte>(token.Length);
        if (token[0] == '[') DecodeLong(token, bytes);
        else DecodeShort(token, bytes);
        return [.. bytes];
    }

    private static void DecodeLong(string token, List<byte> bytes)
    {
        int level = token.IndexOf('[', 1) - 1;
        int i = level + 2, end = token.Length - level - 2;
        if (i < end && token[i] is '\n' or '\r') i = SkipNewLine(token, i);
        while (i < end)
        {
            if (token[i] is '\n' or '\r')
            {
                bytes.Add((byte)'\n');
                i = SkipNewLine(token, i);
            }
            else i = AddChar(token, i, bytes);
        }
    }

    private static void DecodeShort(string token, List<byte> bytes)
    {
        int i = 1, end = token.Length - 1;
        while (i < end)
        {
            if (token[i] != '\\')
            {
                i = AddChar(token, i, bytes);
                continue;
            }
            char e = token[++i];
            switch (e)
            {
                case 'a': bytes.Add(7); i++; break;
                case 'b': bytes.Add(8); i++; break;
                case 'f': bytes.Add(12); i++; break;
                case 'n': bytes.Add(10); i++; break;
                case 'r': bytes.Add(13); i++; break;
                case 't': bytes.Add(9); i++; break;
                case 'v': bytes.Add(11); i++; break;
                case '\\' or '"' or '\'': bytes.Add((byte)e); i++; break;
                case '\n' or '\r': bytes.Add((byte)'\n'); i = SkipNewLine(token, i); break;
                case 'x':
                    bytes.Add((byte)(LuaTokenizer.HexValue(token[i + 1]) * 16 + LuaTokenizer.HexValue(token[i + 2])));
                    i += 3;
                    break;
                case 'z':
                    i++;
                    while (token[i] is ' ' or '\t' or '\f' or '\v' or '\n' or '\r') i++;
                    break;
                case 'u':
                    long code = 0;
                    for (i += 2; token[i] != '}'; i++) code = code * 16 + LuaTokenizer.HexValue(token[i]);
                    i++;
                    AddUtf8(code, bytes);
                    break;
                default:
                    int value = 0;
                    for (int n = 0; n < 3 && char.IsAsciiDigit(token[i]); n++, i++) value = value * 10 + (token[i] - '0');
                    bytes.Add((byte)value);
                    break;
            }
        }
    }

    private static int SkipNewLine(string s, int i)
    {
        char first = s[i++];
        if (i < s.Length && s[i] is '\n' or '\r' && s[i] != first) i++;
        return i;
    }

    /// <summary>Adds the UTF-8 of the character at <paramref name="i"/> (a surrogate pair together).</summary>
    private static int AddChar(string s, int i, List<byte> bytes)
    {
        int length = char.IsHighSurrogate(s[i]) && i + 1 < s.Length ? 2 : 1;
        bytes.AddRange(Encoding.UTF8.GetBytes(s.Substring(i, length)));
        return i + length;
    }

    /// <summary>Lua's \u{...}: UTF-8 extended to 31 bits, as utf8esc in llex.c writes it.</summary>
    private static void AddUtf8(long code, List<byte> bytes)
    {
        if (code < 0x80)
        {
            bytes.Add((byte)code);
            return;
        }
        var tail = new Stack<byte>();
        long limit = 0x3f;
        do
        {
            tail.Push((byte)(0x80 | (code & 0x3f)));
            code >>= 6;
            limit >>= 1;
        } while (code > limit);
        bytes.Add((byte)((~limit << 1) | code));
        bytes.AddRange(tail);
    }

    /// <summary>A double-quoted literal on one line for <paramref name="bytes"/>: printable ASCII as is, the rest escaped.</summary>
    public static string Quote(byte[] bytes)
    {
        var text = new StringBuilder(bytes.Length + 2).Append('"');
        foreach (byte b in bytes)
        {
            if (b is (byte)'"' or (byte)'\\') text.Append('\\').Append((char)b);
            else if (b is >= 32 and < 127) text.Append((char)b);
            else text.Append('\\').Append(b.ToString("000"));
        }
        return text.Append('"').ToString();
    }
}
