using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Wisp.Cli.Tests;

/// <summary>The C# echo service's program run as a child process (<c>dotnet EchoService.dll ARGS</c>), its stderr kept.</summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _error = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _waits = [];

    private NodeProcess(Process process) => _process = process;

    public static NodeProcess Start(params string[] args)
    {
        var info = new ProcessStartInfo(Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "EchoService.dll"));
        foreach (var arg in args) info.ArgumentList.Add(arg);
        var node = new NodeProcess(new Process { StartInfo = info });
        node._process.ErrorDataReceived += (_, e) => node.OnError(e.Data);
        node._process.OutputDataReceived += (_, _) => { };
        node._process.Start();
        node._process.BeginErrorReadLine();
        node._process.BeginOutputReadLine();
        return node;
    }

    private void OnError(string? line)
    {
        if (line is null) return;
        lock (_waits)
        {
            _error.AppendLine(line);
            foreach (var (text, seen) in _waits)
                if (_error.ToString().Contains(text, StringComparison.Ordinal)) seen.TrySetResult();
        }
    }

    /// <summary>Waits until stderr has shown <paramref name="text"/>.</summary>
    public async Task ExpectErrorAsync(string text)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waits)
        {
            if (_error.ToString().Contains(text, StringComparison.Ordinal)) return;
            _waits.Add((text, seen));
        }
        if (await Task.WhenAny(seen.Task, Task.Delay(WatchedNode.Deadline)) != seen.Task)
            Assert.Fail($"stderr did not show '{text}' within {WatchedNode.Deadline}:\n{Error}");
    }

    public string Error
    {
        get { lock (_waits) return _error.ToString(); }
    }

    /// <summary>Sends SIGTERM (a graceful stop) and waits for the exit code.</summary>
    public async Task<int> TerminateAsync()
    {
        Assert.Equal(0, Kill(_process.Id, 15));
        using var deadline = new CancellationTokenSource(WatchedNode.Deadline);
        await _process.WaitForExitAsync(deadline.Token);
        return _process.ExitCode;
    }

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
