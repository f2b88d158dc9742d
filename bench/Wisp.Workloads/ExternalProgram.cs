using System.Diagnostics;
using System.Text.Json;

namespace Wisp.Workloads;

/// <summary>
/// A running peer program: it first prints one JSON line naming its runtime, then answers each command line with
/// one JSON line (an "error" field when the command failed). It is killed when disposed, when an answer is late,
/// and when the harness child exits, so none outlives its launch.
/// </summary>
public sealed class ExternalProgram : IDisposable
{
    private const int StderrLines = 5;
    private readonly string _name;
    private readonly Process _process;
    private readonly Queue<string> _stderr = new();
    private readonly EventHandler _onExit;

    public string Runtime { get; private set; } = "";

    private ExternalProgram(string name, Process process)
    {
        _name = name;
        _process = process;
        _onExit = (_, _) => Kill();
        AppDomain.CurrentDomain.ProcessExit += _onExit;
    }

    public static async Task<ExternalProgram> Start(string name, ProcessStartInfo psi, TimeSpan timeout)
    {
        psi.RedirectStandardInput = psi.RedirectStandardOutput = psi.RedirectStandardError = true;
        psi.UseShellExecute = false;
        var process = new Process { StartInfo = psi };
        var program = new ExternalProgram(name, process);
        process.ErrorDataReceived += (_, e) => program.KeepStderr(e.Data);
        try
        {
            process.Start();
            process.BeginErrorReadLine();
            using var hello = await program.Answer(timeout);
            program.Runtime = hello.RootElement.GetProperty("runtime").GetString() ?? "";
            return program;
        }
        catch
        {
            program.Dispose();
            throw;
        }
    }

    public async Task<JsonDocument> Ask(string command, TimeSpan timeout)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
        var answer = await Answer(timeout);
        if (answer.RootElement.TryGetProperty("error", out var error))
        {
            answer.Dispose();
            throw new InvalidOperationException($"{_name} '{command}': {error.GetString()}");
        }
        return answer;
    }

    private async Task<JsonDocument> Answer(TimeSpan timeout)
    {
        string? line;
        try
        {
            line = await _process.StandardOutput.ReadLineAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            Kill();
            throw new TimeoutException($"{_name}: no answer within {timeout.TotalSeconds:F0} s");
        }
        if (line is null)
        {
            _process.WaitForExit(1000);
            string exit = _process.HasExited ? $"exit {_process.ExitCode}" : "output closed";
            throw new InvalidOperationException($"{_name} ended ({exit}): {StderrTail()}");
        }
        return JsonDocument.Parse(line);
    }

    private void KeepStderr(string? line)
    {
        if (line is null) return;
        lock (_stderr)
        {
            _stderr.Enqueue(line);
            if (_stderr.Count > StderrLines) _stderr.Dequeue();
        }
    }

    private string StderrTail()
    {
        lock (_stderr) return string.Join(" | ", _stderr);
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException) { }   // never started, or already gone
    }

    public void Dispose()
    {
        AppDomain.CurrentDomain.ProcessExit -= _onExit;
        Kill();
        _process.Dispose();
    }
}
