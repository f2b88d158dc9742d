namespace Wisp.EchoService.Tests;

/// <summary>The two programs these tests run as child processes: the C# echo service's and the wisp command.</summary>
public static class EchoProcess
{
    /// <summary>Starts the echo service's program in <paramref name="workingDirectory"/>.</summary>
    public static ChildProcess Start(string workingDirectory, params string[] args) => ChildProcess.StartDll(EchoProgram.DllPath, workingDirectory, args);

    /// <summary>Starts the wisp command in <paramref name="workingDirectory"/>.</summary>
    public static ChildProcess StartWisp(string workingDirectory, params string[] args) => ChildProcess.StartDll(WispCommand.DllPath, workingDirectory, args);

    /// <summary>Runs the echo service's program to completion with no input.</summary>
    public static Task<(int ExitCode, string Output, string Error)> RunAsync(string workingDirectory, params string[] args) =>
        ChildProcess.CompleteAsync(Start(workingDirectory, args));

    /// <summary>Runs the wisp command to completion with no input.</summary>
    public static Task<(int ExitCode, string Output, string Error)> RunWispAsync(string workingDirectory, params string[] args) =>
        ChildProcess.CompleteAsync(StartWisp(workingDirectory, args));
}
