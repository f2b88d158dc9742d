namespace Wisp.Lua.Dialect;

/// <summary>A malformed annotation or declaration, at a line and column of the file.</summary>
internal sealed class DialectException(int line, int column, string message) : Exception(message)
{
    public int Line { get; } = line;
    public int Column { get; } = column;

    /// <summary>"<c>message near 'x'</c>" at <paramref name="token"/>, as Lua words its syntax errors.</summary>
    public static DialectException Near(LuaToken token, string message) => new(token.Line, token.Column, $"{message} near {token.Near}");
}
