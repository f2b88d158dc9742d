namespace Wisp.Lua.Dialect;

/// <summary>
/// A position in the token list, shared by the statement parser and the type parser. A type's closing '>' may be
/// the first half of a '>>' or '>=' token: <see cref="SplitAngle"/> splits it, and <see cref="Reset"/> undoes the
/// splits made after a <see cref="Mark"/>, so that a speculative parse leaves the tokens as they were.
/// </summary>
internal sealed class TokenCursor(List<LuaToken> tokens)
{
    private readonly List<LuaToken> _tokens = tokens;
    private readonly Stack<(int Index, LuaToken Token)> _splits = new();

    public int Position { get; private set; }

    public LuaToken Current => _tokens[Position];

    /// <summary>The token <paramref name="offset"/> places ahead; the last one (the end or an error) past the list.</summary>
    public LuaToken Peek(int offset = 1) => _tokens[Math.Min(Position + offset, _tokens.Count - 1)];

    /// <summary>The token before the current one (the start of the list has none: the current one then).</summary>
    public LuaToken Previous => _tokens[Math.Max(Position - 1, 0)];

    public bool Is(string text) => Current.Is(text);

    public LuaToken Advance()
    {
        var token = Current;
        if (token.Kind is not (TokenKind.End or TokenKind.Error)) Position++;
        return token;
    }

    public bool Accept(string text)
    {
        if (!Current.Is(text)) return false;
        Advance();
        return true;
    }

    public (int Position, int Splits) Mark() => (Position, _splits.Count);

    public void Reset((int Position, int Splits) mark)
    {
        while (_splits.Count > mark.Splits)
        {
            var (index, token) = _splits.Pop();
            _tokens.RemoveAt(index + 1);
            _tokens[index] = token;
        }
        Position = mark.Position;
    }

    /// <summary>When the current token is '>>' or '>=', makes it a '>' followed by the rest.</summary>
    public void SplitAngle()
    {
        var token = Current;
        if (token.Kind != TokenKind.Symbol || token.Text is not (">>" or ">=")) return;
        _splits.Push((Position, token));
        _tokens[Position] = token with { Text = ">", End = token.Start + 1 };
        _tokens.Insert(Position + 1, token with { Text = token.Text[1..], Start = token.Start + 1, Column = token.Column + 1 });
    }
}
