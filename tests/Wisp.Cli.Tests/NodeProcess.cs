namespace Wisp.Cli.Tests;

/// <summary>The C# echo service's program run as a child process (<c>dotnet EchoService.dll ARGS</c>) from its own folder.</summary>
public static class NodeProcess
{
    public static ChildProcess Start(params string[] args) =>
        ChildProcess.StartDll(Path.Combine(AppContext.BaseDirectory, "EchoService.dll"), AppContext.BaseDirectory, args);
}
