using System.Collections.Concurrent;

namespace Wisp.EchoService.Tests;

/// <summary>
/// Standard input for an in-process terminal: <see cref="ReadLine"/> blocks until the test sends a line, and
/// returns null (end of input) once <see cref="End"/> is called. Blocking is fine: the terminal reads on a
/// pool thread, never on a process loop.
/// </summary>
public sealed class LineInput : TextReader
{
    private readonly BlockingCollection<string> _lines = new();

    public void Send(string line) => _lines.Add(line);

    /// <summary>End of input (Ctrl+D): pending and later reads return null. Safe to call more than once.</summary>
    public void End()
    {
        lock (_lines)
        {
            if (!_lines.IsAddingCompleted) _lines.CompleteAdding();
        }
    }

    public override string? ReadLine() => _lines.TryTake(out var line, Timeout.Infinite) ? line : null;

    public override int Peek() => throw new NotSupportedException("the terminal reads whole lines");
    public override int Read() => throw new NotSupportedException("the terminal reads whole lines");

    protected override void Dispose(bool disposing)
    {
        // The collection is not disposed: a read abandoned on a pool thread may still be waiting on it.
        if (disposing) End();
        base.Dispose(disposing);
    }
}
