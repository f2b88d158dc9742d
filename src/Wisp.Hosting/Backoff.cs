using Wisp.Hosting.Entries;

namespace Wisp.Hosting;

/// <summary>
/// The restart delay of a service: <c>initial × factor^(n−1)</c>, capped at <c>max</c>, then spread by
/// ±<c>jitter</c> (default 1 s, ×2, 90 s, ±10%), where n counts consecutive failed runs.
/// </summary>
public static class Backoff
{
    /// <param name="policy">The service's restart policy: initial delay, factor, cap and jitter.</param>
    /// <param name="failures">1 for the first restart after a failure, 2 for the next, ...</param>
    /// <param name="unitSample">A random sample in [0, 1) that chooses the jitter.</param>
    public static TimeSpan Delay(RestartPolicy policy, int failures, double unitSample)
    {
        double baseMs = policy.InitialDelay.TotalMilliseconds * Math.Pow(policy.BackoffFactor, Math.Max(0, failures - 1));
        double cappedMs = Math.Min(baseMs, policy.MaxDelay.TotalMilliseconds);
        double spread = 1 + policy.Jitter * (2 * unitSample - 1);
        return TimeSpan.FromMilliseconds(Math.Max(0, cappedMs * spread));
    }
}
