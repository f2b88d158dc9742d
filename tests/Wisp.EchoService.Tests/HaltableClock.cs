using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace Wisp.EchoService.Tests;

/// <summary>
/// A fake clock that follows the real one until <see cref="Halt"/> stops it: a test halts time to hold a state
/// that a timer would end (a supervisor's restart backoff) for as long as it needs, however slow the machine,
/// while everything else in the node (workers' sleeps, reply timeouts) runs at real speed.
/// </summary>
public sealed class HaltableClock : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;
    private readonly Lock _gate = new();   // held across the pump's look at _halted and its advance, so Halt waits for one in flight
    private bool _halted;

    public HaltableClock() => _pump = Task.Run(PumpAsync);

    public FakeTimeProvider Time { get; } = new();

    /// <summary>Time stands still: once this returns, no timer fires until <see cref="Resume"/>.</summary>
    public void Halt()
    {
        lock (_gate) _halted = true;
    }

    /// <summary>Time follows the real clock again, from where it stood.</summary>
    public void Resume()
    {
        lock (_gate) _halted = false;
    }

    private async Task PumpAsync()
    {
        var real = Stopwatch.StartNew();
        while (!_stop.IsCancellationRequested)
        {
            try { await Task.Delay(5, _stop.Token); }
            catch (OperationCanceledException) { return; }
            var elapsed = real.Elapsed;
            real.Restart();
            lock (_gate)
                if (!_halted) Time.Advance(elapsed);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _pump;
        _stop.Dispose();
    }
}
