using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Wisp.Hosting.Entries;

namespace Wisp.Hosting;

/// <summary>What a supervised service is doing now.</summary>
public enum ServiceState
{
    Starting,
    Running,
    Restarting,
    /// <summary>Ended for good: its process returned normally, failed with a non-retryable error, or could not be spawned.</summary>
    Exited,
    /// <summary>Gave up after max_attempts failed runs.</summary>
    Failed,
    /// <summary>Stopped by the runtime (shutdown).</summary>
    Stopped,
}

/// <summary>
/// Supervisor of one <c>process.service</c> entry.
///
/// Contract (in the manner of OTP's supervisor.erl; the seed's documented policy):
/// - The supervisor is itself a process, on the node's control host <c>node:control</c>. It spawns the
///   service's process on the service's host with the entry's <c>input</c> as arguments, monitored, so it
///   sees every exit (the monitor is in place before the child runs).
/// - Restart type "transient": after an exit with a retryable error the child is spawned again (a new PID;
///   names it registered were released when it exited); after a normal exit, or an error marked
///   non-retryable, the service is Exited and is not restarted.
/// - A failed spawn (unknown entry, bad arguments, missing host) is final: retrying cannot mend a
///   configuration error. The service is Exited and the error logged.
/// - Backoff between runs: <see cref="Backoff.Delay"/> with n = consecutive failed runs; a run that lasted
///   at least <c>stable_threshold</c> resets n to 1.
/// - Intensity: <c>max_attempts</c> = N allows N runs in a row that fail (0 = unlimited); then Failed.
/// - Shutdown: a CANCEL to the supervisor makes it send CANCEL "service stopping" to the child, wait up to
///   <c>stop_timeout</c> for its EXIT, then terminate it, wait for the EXIT, and return (state Stopped). A child
///   that has not opened its events channel cannot hear the CANCEL, so it is terminated at once (Erlang's
///   shutdown of a process that does not trap exits).
/// - A supervisor terminated (a hurried shutdown) leaves its service Stopped: its child is terminated by the same
///   shutdown, and nothing restarts it.
/// - Each step (a spawn, a restart scheduled, the end) is reported through <see cref="Changed"/>, with its time on
///   the node's clock.
/// </summary>
public sealed class Supervisor
{
    public const string ControlHost = "node:control";

    private readonly ProcessServiceEntry _entry;
    private readonly Random _random;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile ServiceState _state = ServiceState.Starting;
    // Written by the supervisor's process, read by any thread: a PID is several words, so it is published
    // boxed through one volatile reference and never read torn.
    private volatile StrongBox<Pid>? _child;
    private volatile int _runs;

    internal Supervisor(ProcessServiceEntry entry, Random random)
    {
        _entry = entry;
        _random = random;
    }

    public EntryId Id => _entry.Id;
    public ServiceState State => _state;

    /// <summary>The service's current process, while it runs.</summary>
    public Pid? Child => _child?.Value;

    /// <summary>How many times the service's process has been spawned.</summary>
    public int Runs => _runs;

    /// <summary>Why the first spawn failed, if it did (the service is then Exited and never ran).</summary>
    public string? StartError { get; private set; }

    /// <summary>Completes once the first spawn is done (Running) or has been given up (Exited).</summary>
    public Task Started => _started.Task;

    /// <summary>
    /// Raised on the supervisor's process at each step of the service, once its state is set: Running after each spawn,
    /// Restarting once the restart's timer is armed, then Exited, Failed or Stopped. A handler runs on the supervisor's
    /// loop, so it must be quick; an exception it throws is logged and ignored.
    /// </summary>
    public event Action<ServiceChange>? Changed;

    internal Pid Start(Node node) =>
        node.Spawn(ProcessDefinition.FromBody(_entry.Id.ToString(), Run), ControlHost);

    private async Task<object?> Run(ProcessContext p)
    {
        var events = p.Events;
        var lifecycle = _entry.Lifecycle;
        int failures = 0;
        DateTimeOffset? delayEnded = null;
        // Terminated (a hurried shutdown) the supervisor's code never reaches Finish: the exit settles the state.
        p.OnExit(_ =>
        {
            if (_state is ServiceState.Starting or ServiceState.Running or ServiceState.Restarting) Finish(p, ServiceState.Stopped, failures);
        });
        while (true)
        {
            Pid child;
            try
            {
                child = p.SpawnMonitored(_entry.Process.ToString(), _entry.Host.ToString(), [.. _entry.Input]);
            }
            catch (WispException e)
            {
                p.Logger.LogError("service {service} could not start {process}: {error}", Id, _entry.Process, e.Message);
                if (_runs == 0) StartError = $"could not start {_entry.Process}: {e.Message}";
                return Finish(p, ServiceState.Exited, failures);
            }
            _child = new StrongBox<Pid>(child);
            if (_runs++ > 0) p.Node.Metrics.ServiceRestarted(Id.ToString());
            _state = ServiceState.Running;
            _started.TrySetResult();
            var startedAt = p.Now;
            Report(p, new ServiceChange(ServiceState.Running, startedAt, _runs, failures, DelayEnded: delayEnded));

            var exit = await WaitForExitOrCancel(p, events, child);
            if (exit is null)
            {
                await StopChild(p, events, child, lifecycle.StopTimeout);
                return Finish(p, ServiceState.Stopped, failures);
            }
            _child = null;
            var exitedAt = p.Now;
            var error = exit.Result!.Error;
            if (error is null)
            {
                p.Logger.LogInformation("service {service} exited: {process} returned {value}", Id, exit.From, exit.Result.Value);
                return Finish(p, ServiceState.Exited, failures);
            }
            if (error.Retryable == false)
            {
                p.Logger.LogError("service {service} failed with a non-retryable error: {error}", Id, error.Message);
                return Finish(p, ServiceState.Exited, failures);
            }
            failures = exitedAt - startedAt >= lifecycle.StableThreshold ? 1 : failures + 1;
            if (lifecycle.Restart.MaxAttempts > 0 && failures >= lifecycle.Restart.MaxAttempts)
            {
                p.Logger.LogError("service {service} failed {failures} time(s) in a row, giving up: {error}", Id, failures, error.Message);
                return Finish(p, ServiceState.Failed, failures);
            }
            var delay = Backoff.Delay(lifecycle.Restart, failures, _random.NextDouble());
            _state = ServiceState.Restarting;
            p.Logger.LogWarning("service {service} failed: {error}; restarting in {delay}", Id, error.Message, delay);
            var timer = p.After(delay <= TimeSpan.Zero ? TimeSpan.FromTicks(1) : delay);
            Report(p, new ServiceChange(ServiceState.Restarting, exitedAt, _runs, failures, delay));
            delayEnded = await WaitOrCancel(p, events, timer);
            if (delayEnded is null) return Finish(p, ServiceState.Stopped, failures);
        }
    }

    private object? Finish(ProcessContext p, ServiceState state, int failures)
    {
        _child = null;
        _state = state;
        _started.TrySetResult();
        Report(p, new ServiceChange(state, p.Now, _runs, failures));
        return null;
    }

    private void Report(ProcessContext p, ServiceChange change)
    {
        try
        {
            Changed?.Invoke(change);
        }
        catch (Exception e)
        {
            p.Logger.LogWarning(e, "service {service}: a Changed handler failed", Id);
        }
    }

    /// <summary>The child's EXIT, or null when the supervisor is asked to stop.</summary>
    private static async Task<ProcessEvent?> WaitForExitOrCancel(ProcessContext p, ReceiveChannel<ProcessEvent> events, Pid child)
    {
        while (true)
        {
            var (e, _) = await events.Receive();
            if (e.Kind == EventKind.Cancel) return null;
            if (e.Kind == EventKind.Exit && e.From == child) return e;
        }
    }

    /// <summary>Waits out a restart delay: when its timer fired, or null when asked to stop meanwhile.</summary>
    private static async Task<DateTimeOffset?> WaitOrCancel(ProcessContext p, ReceiveChannel<ProcessEvent> events, Channel<DateTimeOffset> timer)
    {
        while (true)
        {
            var r = await p.Select(timer.CaseReceive(), events.CaseReceive());
            if (r.Channel == timer) return r.ValueAs<DateTimeOffset>();
            if (r.ValueAs<ProcessEvent>() is { Kind: EventKind.Cancel }) return null;
        }
    }

    private static async Task StopChild(ProcessContext p, ReceiveChannel<ProcessEvent> events, Pid child, TimeSpan stopTimeout)
    {
        bool hears = p.Node.HearsCancel(child);
        if (hears)
        {
            try
            {
                p.Cancel(child, "service stopping");
            }
            catch (WispException e) when (e.Kind == ErrorKind.NotFound)
            {
                return;   // it has just exited
            }
            if (await ExitWithin(p, events, child, stopTimeout)) return;
            p.Logger.LogWarning("service child {child} did not stop within {timeout}; terminating it", child, stopTimeout);
        }
        else p.Logger.LogDebug("service child {child} has no events channel, so cannot hear CANCEL: terminating it", child);
        try
        {
            p.Terminate(child);
        }
        catch (WispException e) when (e.Kind == ErrorKind.NotFound)
        {
            return;
        }
        await ExitWithin(p, events, child, stopTimeout);
    }

    private static async Task<bool> ExitWithin(ProcessContext p, ReceiveChannel<ProcessEvent> events, Pid child, TimeSpan timeout)
    {
        var deadline = p.After(timeout);
        while (true)
        {
            var r = await p.Select(events.CaseReceive(), deadline.CaseReceive());
            if (r.Channel == deadline) return false;
            if (r.ValueAs<ProcessEvent>() is { Kind: EventKind.Exit } e && e.From == child) return true;
        }
    }
}
