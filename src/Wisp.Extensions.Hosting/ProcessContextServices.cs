namespace Wisp.Extensions.Hosting;

/// <summary>The .NET host's services as a process of its node reaches them.</summary>
public static class ProcessContextServices
{
    /// <summary>
    /// The host's <see cref="IServiceProvider"/>, which every host of a node added by <c>AddWisp</c> offers its processes:
    /// singletons and transients directly, scoped services from a scope the process creates and disposes.
    /// </summary>
    public static IServiceProvider Services(this ProcessContext process) =>
        process.Feature<IServiceProvider>() ?? throw new WispException(ErrorKind.Unavailable,
            $"{process.EntryId} runs on host {process.HostId}, which offers no .NET host's services (its node was not added by AddWisp)");
}
