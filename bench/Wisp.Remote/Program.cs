namespace Wisp.Remote;

/// <summary>
/// The orchestrator by default; with <c>--server</c> node B and with <c>--client</c> node A of one launch (the
/// orchestrator starts both as child processes of this same program).
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (Options.Parse(args, out int exitCode) is not { } options) return exitCode;
        if (options.ServerRuntime is { } server) return await ServerChild.Run(RemoteRuntime.Find(server), options.Port, options.Sizes);
        if (options.ClientRuntime is { } client)
            return await ClientChild.Run(RemoteRuntime.Find(client), Workload.Find(options.ClientWorkload!), options.Port, options.Sizes);
        return await Orchestrator.Run(options, args);
    }
}
