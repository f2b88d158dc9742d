using System.Text;

namespace Wisp.Lua.Dialect;

/// <summary>
/// Changes to the source text that keep every line where it was: an erased span becomes spaces (its line breaks
/// stay, so what follows keeps its line and, on the span's own line, its column); a replaced span becomes its
/// replacement followed by the span's line breaks.
/// </summary>
internal sealed class SourceEdits
{
    private readonly List<(int Start, int End, string? Replacement)> _edits = [];

    public int Count => _edits.Count;

    public void Erase(int start, int end) => _edits.Add((start, end, null));

    public void Replace(int start, int end, string replacement) => _edits.Add((start, end, replacement));

    /// <summary>Forgets the edits made after the first <paramref name="count"/> (a speculative parse that failed).</summary>
    public void Truncate(int count) => _edits.RemoveRange(count, _edits.Count - count);

    public string Apply(string source, string prefix)
    {
        var text = new StringBuilder(source.Length + prefix.Length).Append(prefix);
        int at = 0;
        foreach (var (start, end, replacement) in _edits.OrderBy(e => e.Start))
        {
            text.Append(source, at, start - at);
            if (replacement is not null) text.Append(replacement);
            for (int i = start; i < end; i++)
            {
                char c = source[i];
                if (c is '\n' or '\r') text.Append(c);
                else if (replacement is null) text.Append(' ');
            }
            at = end;
        }
        return text.Append(source, at, source.Length - at).ToString();
    }
}
