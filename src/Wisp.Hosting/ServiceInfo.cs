using Wisp.Hosting.Entries;

namespace Wisp.Hosting;

/// <summary>A supervised service as <see cref="WispRuntime.InspectServices"/> saw it.</summary>
/// <param name="Id">The <c>process.service</c> entry.</param>
/// <param name="State">What its supervisor is doing now.</param>
/// <param name="Process">Its current process, while one runs.</param>
/// <param name="Supervisor">The supervisor's own process (on <see cref="Supervisor.ControlHost"/>).</param>
/// <param name="Restarts">How many times its process was spawned again after a run ended.</param>
/// <param name="StartError">Why its first spawn failed, if it did.</param>
public sealed record ServiceInfo(EntryId Id, ServiceState State, Pid? Process, Pid Supervisor, int Restarts, string? StartError);
