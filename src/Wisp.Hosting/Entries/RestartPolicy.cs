namespace Wisp.Hosting.Entries;

/// <summary>
/// Exponential backoff between restarts: the delay starts at <see cref="InitialDelay"/>, is multiplied by
/// <see cref="BackoffFactor"/> up to <see cref="MaxDelay"/>, and varies randomly by ±<see cref="Jitter"/>
/// (a fraction, 0..1). <see cref="MaxAttempts"/> 0 means no limit.
/// </summary>
public sealed record RestartPolicy(TimeSpan InitialDelay, TimeSpan MaxDelay, double BackoffFactor, double Jitter, int MaxAttempts)
{
    public static RestartPolicy Default { get; } = new(
        InitialDelay: TimeSpan.FromSeconds(1), MaxDelay: TimeSpan.FromSeconds(90),
        BackoffFactor: 2.0, Jitter: 0.1, MaxAttempts: 0);
}
