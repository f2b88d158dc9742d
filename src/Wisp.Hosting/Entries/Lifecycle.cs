namespace Wisp.Hosting.Entries;

/// <summary>
/// How the supervisor runs a host or service. <see cref="Optional"/> is <c>startup: optional</c>: a failure
/// to start does not fail the boot. <see cref="Requires"/> are entries that must be running first.
/// </summary>
public sealed record Lifecycle(
    bool AutoStart, bool Optional, TimeSpan StartTimeout, TimeSpan StopTimeout, TimeSpan StableThreshold,
    IReadOnlyList<EntryId> Requires, RestartPolicy Restart)
{
    public static Lifecycle Default { get; } = new(
        AutoStart: false, Optional: false,
        StartTimeout: TimeSpan.FromSeconds(10), StopTimeout: TimeSpan.FromSeconds(10),
        StableThreshold: TimeSpan.FromSeconds(5), Requires: [], Restart: RestartPolicy.Default);
}
