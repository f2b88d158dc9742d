namespace Wisp.Cli;

/// <summary>
/// Ctrl+C for <c>run</c>: the first press asks for a graceful shutdown (the token is cancelled); the second
/// exits at once with code 1, as the seed's runtime does.
/// </summary>
internal sealed class Interrupt : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private int _presses;

    public Interrupt() => Console.CancelKeyPress += OnCancelKeyPress;

    public CancellationToken Token => _source.Token;

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        if (Interlocked.Increment(ref _presses) > 1) Environment.Exit(1);
        e.Cancel = true;
        _source.Cancel();
    }

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
        _source.Dispose();
    }
}
