namespace Wisp.Remote;

/// <summary>
/// The orchestrator by default; with <c>--server</c> node B and with <c>--client</c> node A of one launch (the
/// orchestrator starts both as child processes of this same program).
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        Options options;
        try
        {
            options = Options.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}\n");
            Console.Error.WriteLine(Options.Help);
            return 2;
        }
        if (options.ShowHelp)
        {
            Console.WriteLine(Options.Help);
            return 0;
        }
        if (options.ServerRuntime is { } server) return await ServerChild.Run(RemoteRuntime.Find(server), options.Port, options.Sizes);
        if (options.ClientRuntime is { } client)
            return await ClientChild.Run(RemoteRuntime.Find(client), Workload.Find(options.ClientWorkload!), options.Port, options.Sizes);
        return await Orchestrator.Run(options, args);
    }
}
