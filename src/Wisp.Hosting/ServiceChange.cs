namespace Wisp.Hosting;

/// <summary>
/// A step in the life of a supervised service, as its supervisor takes it (<see cref="Supervisor.Changed"/>), with
/// times on the node's clock, so that a test or a monitor can check each restart against the backoff it was owed.
/// </summary>
/// <param name="State">The state the service has entered.</param>
/// <param name="At">Running: when the run's process was spawned. Restarting: when the supervisor received the failed
/// run's EXIT. Exited, Failed, Stopped: when the supervisor ended.</param>
/// <param name="Run">How many times the service's process has been spawned, this run included.</param>
/// <param name="Failures">Consecutive failed runs, the n of <see cref="Backoff.Delay"/> (Restarting: the run just failed
/// included; Running: before this run).</param>
/// <param name="Delay">Restarting: the wait chosen before the next run.</param>
/// <param name="DelayEnded">Running after a restart: when that wait ended (its timer fired); null for the first run.</param>
public sealed record ServiceChange(
    ServiceState State, DateTimeOffset At, int Run, int Failures, TimeSpan Delay = default, DateTimeOffset? DelayEnded = null);
