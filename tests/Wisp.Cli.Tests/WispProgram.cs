namespace Wisp.Cli.Tests;

/// <summary>The wisp command (src/Wisp.Command, built as wisp.dll beside the tests) run as a child process.</summary>
public static class WispProgram
{
    public static string DllPath => Path.Combine(AppContext.BaseDirectory, "wisp.dll");

    /// <summary>Starts the wisp command in <paramref name="workingDirectory"/>.</summary>
    public static ChildProcess Start(string workingDirectory, params string[] args) => ChildProcess.StartDll(DllPath, workingDirectory, args);

    /// <summary>Runs the wisp command to completion with no input.</summary>
    public static Task<(int ExitCode, string Output, string Error)> RunAsync(string workingDirectory, params string[] args) =>
        ChildProcess.CompleteAsync(Start(workingDirectory, args));
}
