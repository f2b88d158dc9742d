namespace Wisp.Hosting;

/// <summary>
/// The terminal a <c>terminal.host</c> gives the process it runs (the seed's <c>io</c> module): standard
/// input and output, with the seed's colours when the output is a terminal.
/// Get it in a process with <c>p.Feature&lt;Terminal&gt;()</c>; it is null on other hosts.
/// </summary>
public sealed class Terminal
{
    private const string Reset = "\u001b[0m";
    private readonly TextReader _input;
    private readonly TextWriter _output;
    private readonly TextWriter _error;
    private Task<string?>? _pendingRead;

    public Terminal(TextReader input, TextWriter output, TextWriter error, bool colors, IReadOnlyList<string>? args = null)
    {
        _input = input;
        _output = output;
        _error = error;
        Colors = colors;
        Args = args ?? [];
    }

    /// <summary>The command-line arguments given to the process the terminal runs (the seed's <c>io.args()</c>).</summary>
    public IReadOnlyList<string> Args { get; }

    /// <summary>Whether styles emit ANSI colours: off when output is not a terminal or NO_COLOR is set.</summary>
    public bool Colors { get; }

    /// <summary>
    /// Reads a line without its line ending; null at end of input. Only the calling coroutine waits: the read
    /// happens on a pool thread and the coroutine resumes on its process's loop.
    /// </summary>
    public async ValueTask<string?> ReadLine()
    {
        if (_pendingRead is { IsCompleted: false })
            throw new WispException(ErrorKind.InvalidState, "a readline is already in progress on this terminal");
        _pendingRead = Task.Run(_input.ReadLine);
        return await _pendingRead;
    }

    /// <summary>Reads up to <paramref name="count"/> characters as they come; null at end of input. Only the calling coroutine waits.</summary>
    public async ValueTask<string?> Read(int count)
    {
        if (_pendingRead is { IsCompleted: false })
            throw new WispException(ErrorKind.InvalidState, "a read is already in progress on this terminal");
        _pendingRead = Task.Run(() =>
        {
            var buffer = new char[Math.Max(1, count)];
            int n = _input.Read(buffer, 0, buffer.Length);
            return n == 0 ? null : new string(buffer, 0, n);
        });
        return await _pendingRead;
    }

    /// <summary>Writes text as is (no newline) and flushes, so a prompt shows before the input.</summary>
    public void Write(string text)
    {
        _output.Write(text);
        _output.Flush();
    }

    /// <summary>Writes a line.</summary>
    public void Print(string line)
    {
        _output.WriteLine(line);
        _output.Flush();
    }

    /// <summary>Flushes standard output (what is written is flushed already: this reports a stream that failed).</summary>
    public void Flush() => _output.Flush();

    /// <summary>Writes a line to standard error.</summary>
    public void PrintError(string line)
    {
        _error.WriteLine(line);
        _error.Flush();
    }

    public string Cyan(string text) => Style("\u001b[36m", text);
    public string Dim(string text) => Style("\u001b[2m", text);
    public string Yellow(string text) => Style("\u001b[33m", text);
    public string Green(string text) => Style("\u001b[32m", text);

    private string Style(string code, string text) => Colors ? code + text + Reset : text;
}
