namespace Wisp.Lua.Dialect;

/// <summary>
/// Lua 5.4's lexical grammar (names, reserved words, numerals with hex floats, short strings with every escape,
/// long strings and comments of any level) plus the dialect's symbols <c>? ! @ -></c>, none of which plain Lua
/// has. Comments and white space are skipped; each token keeps its offsets, line and column. Text Lua's lexer
/// rejects ends the list with an <see cref="TokenKind.Error"/> token: the front end then leaves the rest to Lua,
/// whose own message reports it.
/// </summary>
internal sealed class LuaTokenizer
{
    private readonly string _s;
    private int _pos;
    private int _line = 1;
    private int _lineStart;

    private LuaTokenizer(string source) => _s = source;

    public static List<LuaToken> Tokenize(string source)
    {
        var tokenizer = new LuaTokenizer(source);
        var tokens = new List<LuaToken>();
        while (true)
        {
            var token = tokenizer.Next();
            tokens.Add(token);
            if (token.Kind is TokenKind.End or TokenKind.Error) return tokens;
        }
    }

    private char Cur => _pos < _s.Length ? _s[_pos] : '\0';
    private char At(int offset) => _pos + offset < _s.Length ? _s[_pos + offset] : '\0';
    private bool AtEnd => _pos >= _s.Length;

    private LuaToken Next()
    {
        SkipSpaceAndComments(out var error);
        if (error is not null) return error.Value;
        int start = _pos, line = _line, column = _pos - _lineStart + 1;
        LuaToken Make(TokenKind kind) => new(kind, _s[start.._pos], start, _pos, line, column);
        LuaToken Fail(string message) => new(TokenKind.Error, message, start, _pos, line, column);

        if (AtEnd) return new LuaToken(TokenKind.End, "", start, start, line, column);
        char c = Cur;
        if (IsNameStart(c))
        {
            while (IsNameChar(Cur)) _pos++;
            return Make(TokenKind.Name);
        }
        if (char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(At(1))))
            return ReadNumeral() ? Make(TokenKind.Number) : Fail("malformed number");
        switch (c)
        {
            case '"' or '\'':
                return ReadShortString(c) is { } stringError ? Fail(stringError) : Make(TokenKind.String);
            case '[':
                int level = LongBracketLevel();
                if (level >= 0) return ReadLongBracket(level) ? Make(TokenKind.String) : Fail("unfinished long string");
                if (level == -2) return Fail("invalid long string delimiter");
                _pos++;
                return Make(TokenKind.Symbol);
        }
        string symbol = ThreeCharSymbol() ?? TwoCharSymbol() ?? OneCharSymbol(c) ?? "";
        if (symbol.Length == 0)
        {
            _pos++;
            return Fail("unexpected symbol");
        }
        _pos += symbol.Length;
        return Make(TokenKind.Symbol);
    }

    private string? ThreeCharSymbol() => Cur == '.' && At(1) == '.' && At(2) == '.' ? "..." : null;

    private string? TwoCharSymbol()
    {
        string pair = string.Concat(Cur, At(1));
        return pair switch
        {
            "==" or "~=" or "<=" or ">=" or "<<" or ">>" or "//" or "::" or ".." or "->" => pair,
            _ => null,
        };
    }

    private static string? OneCharSymbol(char c) =>
        "+-*/%^#&~|<>=(){}[];:,.?!@".Contains(c) ? c.ToString() : null;

    internal static int HexValue(char c) => char.IsAsciiDigit(c) ? c - '0' : (c | 0x20) - 'a' + 10;

    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c == '_';
    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private void SkipSpaceAndComments(out LuaToken? error)
    {
        error = null;
        while (!AtEnd)
        {
            char c = Cur;
            if (c is '\n' or '\r') NewLine();
            else if (c is ' ' or '\t' or '\f' or '\v') _pos++;
            else if (c == '-' && At(1) == '-')
            {
                int start = _pos, line = _line, column = _pos - _lineStart + 1;
                _pos += 2;
                if (Cur == '[')
                {
                    int level = LongBracketLevel();
                    if (level >= 0)
                    {
                        if (!ReadLongBracket(level))
                            error = new LuaToken(TokenKind.Error, "unfinished long comment", start, _pos, line, column);
                        if (error is not null) return;
                        continue;
                    }
                }
                while (!AtEnd && Cur is not ('\n' or '\r')) _pos++;
            }
            else return;
        }
    }

    /// <summary>Skips one line break (\n, \r, \r\n or \n\r, as Lua counts them).</summary>
    private void NewLine()
    {
        char first = Cur;
        _pos++;
        if (Cur is '\n' or '\r' && Cur != first) _pos++;
        _line++;
        _lineStart = _pos;
    }

    /// <summary>At '[': the level of a long bracket [==[ (its count of '='), -1 if it is a plain '[', -2 if malformed.</summary>
    private int LongBracketLevel()
    {
        int i = 1;
        while (At(i) == '=') i++;
        if (At(i) == '[') return i - 1;
        return i == 1 ? -1 : -2;
    }

    private bool ReadLongBracket(int level)
    {
        _pos += level + 2;
        while (!AtEnd)
        {
            char c = Cur;
            if (c == ']')
            {
                int i = 1;
                while (At(i) == '=') i++;
                if (i - 1 == level && At(i) == ']')
                {
                    _pos += i + 1;
                    return true;
                }
                _pos++;
            }
            else if (c is '\n' or '\r') NewLine();
            else _pos++;
        }
        return false;
    }

    /// <returns>null when the string is well formed, else Lua's complaint.</returns>
    private string? ReadShortString(char quote)
    {
        _pos++;
        while (true)
        {
            if (AtEnd || Cur is '\n' or '\r') return "unfinished string";
            char c = Cur;
            if (c == quote)
            {
                _pos++;
                return null;
            }
            if (c != '\\')
            {
                _pos++;
                continue;
            }
            _pos++;
            char e = Cur;
            if (e is '\n' or '\r') NewLine();
            else if ("abfnrtv\\\"'".Contains(e) && e != '\0') _pos++;
            else if (e == 'x')
            {
                if (!Uri.IsHexDigit(At(1)) || !Uri.IsHexDigit(At(2))) return "hexadecimal digit expected";
                _pos += 3;
            }
            else if (e == 'z')
            {
                _pos++;
                while (Cur is ' ' or '\t' or '\f' or '\v' or '\n' or '\r')
                {
                    if (Cur is '\n' or '\r') NewLine();
                    else _pos++;
                }
            }
            else if (char.IsAsciiDigit(e))
            {
                int value = 0, digits = 0;
                while (digits < 3 && char.IsAsciiDigit(Cur))
                {
                    value = value * 10 + (Cur - '0');
                    _pos++;
                    digits++;
                }
                if (value > 255) return "decimal escape too large";
            }
            else if (e == 'u')
            {
                if (At(1) != '{') return "missing '{' in \\u{xxxx}";
                _pos += 2;
                long value = 0;
                int digits = 0;
                while (Uri.IsHexDigit(Cur))
                {
                    value = value * 16 + HexValue(Cur);
                    if (value > 0x7FFFFFFF) return "UTF-8 value too large";
                    _pos++;
                    digits++;
                }
                if (digits == 0) return "hexadecimal digit expected";
                if (Cur != '}') return "missing '}' in \\u{xxxx}";
                _pos++;
            }
            else return "invalid escape sequence";
        }
    }

    /// <summary>Reads a numeral the way Lua's lexer does (greedily), then checks that it is a number.</summary>
    private bool ReadNumeral()
    {
        int start = _pos;
        string exponent = "Ee";
        if (Cur == '0' && At(1) is 'x' or 'X')
        {
            exponent = "Pp";
            _pos += 2;
        }
        while (true)
        {
            if (exponent.Contains(Cur) && Cur != '\0')
            {
                _pos++;
                if (Cur is '+' or '-') _pos++;
            }
            else if (Uri.IsHexDigit(Cur) || Cur == '.') _pos++;
            else break;
        }
        if (IsNameStart(Cur)) _pos++;   // a numeral touching a letter is malformed, as in Lua
        return LuaNumeral.IsNumeral(_s[start.._pos]);
    }
}
