namespace Wisp.Lua.Dialect;

internal enum TokenKind
{
    /// <summary>An identifier or a reserved word (<see cref="LuaToken.IsIdentifier"/> tells which).</summary>
    Name,
    Number,
    String,
    /// <summary>An operator or punctuation, Lua's or the dialect's (<c>? ! @ -></c>).</summary>
    Symbol,
    /// <summary>Text Lua's lexer rejects; <see cref="LuaToken.Text"/> is its message. Nothing follows it.</summary>
    Error,
    End,
}

/// <summary>
/// A token of the source: where it is (<see cref="Start"/> and <see cref="End"/> are offsets in the text, line and
/// column 1-based) and its text (a symbol or name as written; a string or number as written, quotes included).
/// </summary>
internal readonly record struct LuaToken(TokenKind Kind, string Text, int Start, int End, int Line, int Column)
{
    private static readonly HashSet<string> Keywords =
    [
        "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in", "local", "nil",
        "not", "or", "repeat", "return", "then", "true", "until", "while",
    ];

    /// <summary>A name that is not a reserved word: what Lua accepts as a variable.</summary>
    public bool IsIdentifier => Kind == TokenKind.Name && !Keywords.Contains(Text);

    public bool Is(string text) => (Kind == TokenKind.Symbol || Kind == TokenKind.Name) && Text == text;

    /// <summary>How Lua's messages show it: <c>'x'</c>, or &lt;eof&gt;.</summary>
    public string Near => Kind == TokenKind.End ? "<eof>" : $"'{Text}'";
}
