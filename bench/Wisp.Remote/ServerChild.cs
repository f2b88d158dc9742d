namespace Wisp.Remote;

/// <summary>
/// A server child: node B of one runtime on a given loopback port. It prints the ready line once its sink and echo can
/// be reached, then serves until the orchestrator closes its standard input (or dies, which closes it too), and
/// at most <see cref="Lifetime"/>, so that a lost orchestrator never leaves it running.
/// </summary>
public static class ServerChild
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    public static TimeSpan Lifetime(Sizes sizes) => TimeSpan.FromSeconds(sizes.PushTimeoutSeconds + sizes.TimeoutSeconds + 120);

    public static async Task<int> Run(RemoteRuntime runtime, int port, Sizes sizes)
    {
        try
        {
            await runtime.Serve(port, StartTimeout);
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"node B ({runtime.Name}) did not start: {e.GetType().Name}: {e.Message}");
            Environment.Exit(1);
        }
        Console.Out.WriteLine(ChildProcess.ReadyLine);
        Console.Out.Flush();
        var closed = Task.Run(() => Console.In.ReadToEnd());
        await Task.WhenAny(closed, Task.Delay(Lifetime(sizes)));
        // Actor systems keep threads alive: leave at once.
        Environment.Exit(0);
        return 0;
    }
}
