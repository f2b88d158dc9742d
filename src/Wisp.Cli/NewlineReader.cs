using System.Text;

namespace Wisp.Cli;

/// <summary>
/// Standard input as the terminal host reads it: a line ends at '\n' only, without it and a '\r' just before it (as
/// the reference's io.readline reads), where <see cref="TextReader.ReadLine"/> would also end one at a lone '\r' and
/// split a line that holds one. Input that ends without a newline is a last line. Everything else is the inner
/// reader's (its decoding: bytes that are not UTF-8 are U+FFFD).
/// </summary>
internal sealed class NewlineReader(TextReader inner) : TextReader
{
    public override string? ReadLine()
    {
        var line = new StringBuilder();
        int c;
        while ((c = inner.Read()) >= 0)
        {
            if (c == '\n')
            {
                if (line.Length > 0 && line[^1] == '\r') line.Length--;
                return line.ToString();
            }
            line.Append((char)c);
        }
        return line.Length > 0 ? line.ToString() : null;
    }

    public override int Read() => inner.Read();
    public override int Read(char[] buffer, int index, int count) => inner.Read(buffer, index, count);
    public override int Peek() => inner.Peek();
}
