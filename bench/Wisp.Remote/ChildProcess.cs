using System.Diagnostics;

namespace Wisp.Remote;

/// <summary>
/// A child process of this program (the orchestrator re-invokes itself as a server or a client): its standard output
/// read line by line, the last lines of its standard error kept for a failure's message, killed with its whole tree
/// when disposed, so no child outlives its launch.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    public const string ReadyLine = "@@READY";
    public const string ResultPrefix = "@@RESULT ";
    public const string ProgressPrefix = "@@PROGRESS ";
    private const int ErrorLinesKept = 4;

    private readonly Process _process;
    private readonly System.Threading.Channels.Channel<string> _lines = System.Threading.Channels.Channel.CreateUnbounded<string>();   // Wisp has a Channel<T> too
    private readonly Queue<string> _errors = new();

    private ChildProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public static ChildProcess Start(IEnumerable<string> args)
    {
        var self = Environment.ProcessPath!;
        var psi = new ProcessStartInfo(self)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") psi.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        var process = new Process { StartInfo = psi };
        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) child._lines.Writer.TryComplete();
            else child._lines.Writer.TryWrite(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not { Length: > 0 } line) return;
            lock (child._errors)
            {
                child._errors.Enqueue(line);
                if (child._errors.Count > ErrorLinesKept) child._errors.Dequeue();
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>The next line of standard output; null once it is closed (the child ended).</summary>
    public async Task<string?> ReadLine(CancellationToken cancellation)
    {
        try
        {
            return await _lines.Reader.ReadAsync(cancellation);
        }
        catch (System.Threading.Channels.ChannelClosedException)
        {
            return null;
        }
    }

    /// <summary>What the child said last on its standard error, with its exit code once it has ended.</summary>
    public string Tail()
    {
        string errors;
        lock (_errors) errors = string.Join(" | ", _errors);
        string exit = _process.HasExited ? $"exit {_process.ExitCode}" : "running";
        return errors.Length == 0 ? exit : $"{exit}: {errors}";
    }

    /// <summary>Tells a server child to stop (it serves until its standard input closes).</summary>
    public void CloseInput() => _process.StandardInput.Close();

    public async Task WaitForExit(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    public void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException) { }   // ended meanwhile
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
