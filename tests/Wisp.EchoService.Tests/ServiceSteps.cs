using Wisp.Hosting;

namespace Wisp.EchoService.Tests;

/// <summary>
/// The steps a service's supervisor reports (<see cref="Supervisor.Changed"/>) from the moment this is made, read in
/// order, each awaited with a deadline that guards against a hang, not slowness.
/// </summary>
public sealed class ServiceSteps : IDisposable
{
    private readonly Supervisor _supervisor;
    private readonly System.Threading.Channels.Channel<ServiceChange> _steps = System.Threading.Channels.Channel.CreateUnbounded<ServiceChange>();

    public ServiceSteps(Supervisor supervisor)
    {
        _supervisor = supervisor;
        supervisor.Changed += Record;
    }

    private void Record(ServiceChange change) => _steps.Writer.TryWrite(change);

    /// <summary>The next step, which must enter <paramref name="state"/>.</summary>
    public async Task<ServiceChange> NextAsync(ServiceState state, string what)
    {
        ServiceChange step;
        try
        {
            step = await _steps.Reader.ReadAsync().AsTask().WaitAsync(TextCapture.DefaultTimeout);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{_supervisor.Id} reported no step within {TextCapture.DefaultTimeout} waiting for {what} ({state})");
            throw;
        }
        Assert.True(step.State == state, $"{what}: {_supervisor.Id} entered {step.State}, not {state}: {step}");
        return step;
    }

    public void Dispose() => _supervisor.Changed -= Record;
}
