using System.Runtime.InteropServices;

namespace Wisp.Cli;

/// <summary>
/// Ctrl+C (SIGINT) or SIGTERM for <c>run</c> and <c>test</c>: the first asks for a graceful shutdown (the token
/// is cancelled); the second exits at once with code 1, as the seed's runtime does.
/// </summary>
internal sealed class Interrupt : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration _terminate;
    private int _signals;

    public Interrupt()
    {
        Console.CancelKeyPress += OnCancelKeyPress;
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            Signal();
        });
    }

    public CancellationToken Token => _source.Token;

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        e.Cancel = true;
        Signal();
    }

    private void Signal()
    {
        if (Interlocked.Increment(ref _signals) > 1) Environment.Exit(1);
        _source.Cancel();
    }

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
        _terminate.Dispose();
        _source.Dispose();
    }
}
