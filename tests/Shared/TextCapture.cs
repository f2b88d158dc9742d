using System.Text;
using System.Text.RegularExpressions;

namespace Wisp.Testing;

/// <summary>
/// A thread-safe <see cref="TextWriter"/> that keeps everything written to it and lets a test wait for text,
/// in the manner of expect(1): <see cref="ExpectAsync(string, TimeSpan?)"/> looks from a cursor that each
/// match moves past, so a sequence of expectations checks the order of the output. Waiters are woken by each
/// write (no polling); the deadline is generous because it guards against hangs, not slowness.
/// Carriage returns are dropped, so expectations can use "\n".
/// </summary>
public sealed class TextCapture : TextWriter
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private readonly object _gate = new();
    private readonly StringBuilder _text = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _cursor;
    private bool _completed;

    public TextCapture(string name = "output")
    {
        Name = name;
    }

    public string Name { get; }
    public override Encoding Encoding => Encoding.UTF8;

    /// <summary>Everything written so far.</summary>
    public string Text
    {
        get { lock (_gate) return _text.ToString(); }
    }

    public override void Write(char value) => Append(value.ToString());
    public override void Write(string? value) => Append(value);
    public override void Write(char[] buffer, int index, int count) => Append(new string(buffer, index, count));
    public override void Write(ReadOnlySpan<char> buffer) => Append(new string(buffer));
    public override void WriteLine(string? value) => Append(value + "\n");
    public override void WriteLine() => Append("\n");

    /// <summary>Marks the end of the stream (the child closed it): waits that cannot succeed fail at once.</summary>
    public void Complete()
    {
        TaskCompletionSource signal;
        lock (_gate)
        {
            _completed = true;
            signal = _changed;
        }
        signal.TrySetResult();
    }

    private void Append(string? value)
    {
        if (string.IsNullOrEmpty(value)) return;
        TaskCompletionSource signal;
        lock (_gate)
        {
            _text.Append(value.Replace("\r", ""));
            signal = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        signal.TrySetResult();
    }

    /// <summary>Waits for <paramref name="literal"/> after the cursor and moves the cursor past it.</summary>
    public async Task ExpectAsync(string literal, TimeSpan? timeout = null) =>
        await ExpectAsync(new Regex(Regex.Escape(literal)), timeout, $"\"{Escape(literal)}\"");

    /// <summary>Waits for <paramref name="pattern"/> to match after the cursor and moves the cursor past the match.</summary>
    public async Task<Match> ExpectAsync(Regex pattern, TimeSpan? timeout = null, string? description = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            Task changed;
            bool completed;
            lock (_gate)
            {
                var match = pattern.Match(_text.ToString(), _cursor);
                if (match.Success)
                {
                    _cursor = match.Index + match.Length;
                    return match;
                }
                changed = _changed.Task;
                completed = _completed;
            }
            var remaining = deadline - DateTime.UtcNow;
            if (completed || remaining <= TimeSpan.Zero)
                return Fail(pattern, description, completed ? "the stream ended" : $"not seen within {timeout ?? DefaultTimeout}");
            try
            {
                await changed.WaitAsync(remaining);
            }
            catch (TimeoutException)
            {
                // checked once more, then reported above
            }
        }
    }

    private Match Fail(Regex pattern, string? description, string why)
    {
        string text;
        int cursor;
        lock (_gate)
        {
            text = _text.ToString();
            cursor = _cursor;
        }
        Assert.Fail($"{Name}: expected {description ?? "/" + pattern + "/"} after offset {cursor}, but {why}.\n"
            + $"--- {Name} so far ---\n{text}\n--- end ---");
        return null!;
    }

    private static string Escape(string text) => text.Replace("\n", "\\n");
}
