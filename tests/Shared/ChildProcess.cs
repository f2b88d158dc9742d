using System.Diagnostics;
using System.Text;

namespace Wisp.Testing;

using Process = System.Diagnostics.Process;   // not Wisp.Process, which test assemblies with the core's internals see too

/// <summary>
/// A program the tests run as a child process (the wisp command, the echo service: <c>dotnet X.dll args…</c>), with its
/// standard streams redirected and NO_COLOR=1. Standard output and error are pumped into
/// <see cref="TextCapture"/>s as they arrive (character by character, so a prompt without a newline is
/// seen). Disposing kills the child if it is still running.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task _pumps;

    private ChildProcess(Process process)
    {
        _process = process;
        _pumps = Task.WhenAll(
            Pump(process.StandardOutput, Output),
            Pump(process.StandardError, Error));
    }

    public TextCapture Output { get; } = new("stdout");
    public TextCapture Error { get; } = new("stderr");

    /// <summary>Starts a .NET program by its dll, on the dotnet host running the tests, in <paramref name="workingDirectory"/>.</summary>
    public static ChildProcess StartDll(string dll, string workingDirectory, params string[] args) => StartExecutable(DotnetHost(), workingDirectory, [dll, .. args]);

    /// <summary>Starts a program by its path (an installed tool's command) in <paramref name="workingDirectory"/>.</summary>
    public static ChildProcess StartExecutable(string path, string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo(path)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["NO_COLOR"] = "1";
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {path}");
        return new ChildProcess(process);
    }

    /// <summary>The dotnet host running the tests (so the child uses the same runtime), else the one on PATH.</summary>
    public static string DotnetHost()
    {
        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)) return host;
        return "dotnet";
    }

    private static async Task Pump(StreamReader reader, TextCapture capture)
    {
        var buffer = new char[4096];
        try
        {
            int n;
            while ((n = await reader.ReadAsync(buffer)) > 0) capture.Write(buffer, 0, n);
        }
        catch (IOException)
        {
            // the child was killed
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            capture.Complete();
        }
    }

    /// <summary>Types a line.</summary>
    public void WriteLine(string line)
    {
        _process.StandardInput.Write(line + "\n");
        _process.StandardInput.Flush();
    }

    /// <summary>Types bytes as they are (not necessarily UTF-8, not necessarily a whole line).</summary>
    public void WriteBytes(byte[] bytes)
    {
        _process.StandardInput.Flush();
        _process.StandardInput.BaseStream.Write(bytes);
        _process.StandardInput.BaseStream.Flush();
    }

    /// <summary>Closes standard input (end of input, as Ctrl+D).</summary>
    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>Sends the child SIGTERM, as a service manager stopping it does.</summary>
    public void Terminate()
    {
        if (Kill(_process.Id, 15) != 0) throw new InvalidOperationException($"kill failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Sends the child a signal by number (9: SIGKILL, as a crash; 19: SIGSTOP, as a hung machine; 18: SIGCONT).</summary>
    public void Signal(int signal)
    {
        if (Kill(_process.Id, signal) != 0) throw new InvalidOperationException($"kill -{signal} failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>Waits for the child to exit and for its output to be read to the end; returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TextCapture.DefaultTimeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
            await _pumps.WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the child process did not exit within {timeout ?? TextCapture.DefaultTimeout}.\n"
                + $"--- stdout ---\n{Output.Text}\n--- stderr ---\n{Error.Text}\n--- end ---");
        }
        return _process.ExitCode;
    }

    /// <summary>Runs a started child to completion with no input: its exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> CompleteAsync(ChildProcess started)
    {
        await using var child = started;
        child.CloseInput();
        int code = await child.WaitForExitAsync();
        return (code, child.Output.Text, child.Error.Text);
    }

    public ValueTask DisposeAsync() => KillAndDisposeAsync(_process);

    /// <summary>Kills <paramref name="process"/> (and its children) if it still runs, waits for it a while, and disposes it.</summary>
    public static async ValueTask KillAndDisposeAsync(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await process.WaitForExitAsync(deadline.Token);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            // it has exited meanwhile, or cannot be waited for: nothing more to do
        }
        finally
        {
            process.Dispose();
        }
    }
}
