using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Wisp.Cluster.ProcessTests;

/// <summary>
/// A <see cref="SoakNode"/> as a child process (<c>dotnet</c> running this assembly): its standard output read line by
/// line for the test to wait on, its standard error kept for failure messages. Disposing kills it if it still runs.
/// </summary>
internal sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly StringBuilder _errors = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _ended;

    private NodeProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        _process.OutputDataReceived += (_, e) => Add(e.Data);
        _process.ErrorDataReceived += (_, e) => { lock (_errors) _errors.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public static NodeProcess Start(string name, params string[] args)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(typeof(SoakNode).Assembly.Location);
        info.ArgumentList.Add("--node");
        info.ArgumentList.Add(name);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        return new NodeProcess(name, Process.Start(info) ?? throw new InvalidOperationException($"could not start node {name}"));
    }

    /// <summary>The dotnet host running the tests (so the node uses the same runtime), else the one on PATH.</summary>
    private static string DotnetHost() =>
        Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";

    private void Add(string? line)
    {
        TaskCompletionSource changed;
        lock (_lines)
        {
            if (line is null) _ended = true;
            else _lines.Add(line);
            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.SetResult();
    }

    /// <summary>Everything the node printed so far, for failure messages.</summary>
    public string Transcript
    {
        get
        {
            string output, errors;
            lock (_lines) output = string.Join('\n', _lines);
            lock (_errors) errors = _errors.ToString();
            return $"--- node {Name}: stdout ---\n{output}\n--- node {Name}: stderr ---\n{errors}--- end ---";
        }
    }

    /// <summary>Waits for a line of standard output matching <paramref name="pattern"/>.</summary>
    public async Task<Match> Line(Regex pattern, TimeSpan deadline)
    {
        var until = DateTime.UtcNow + deadline;
        while (true)
        {
            Task changed;
            lock (_lines)
            {
                foreach (var line in _lines)
                    if (pattern.Match(line) is { Success: true } match) return match;
                if (_ended) Assert.Fail($"node {Name} ended before printing /{pattern}/\n{Transcript}");
                changed = _changed.Task;
            }
            var left = until - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) Assert.Fail($"node {Name} did not print /{pattern}/ within {deadline}\n{Transcript}");
            try
            {
                await changed.WaitAsync(left);
            }
            catch (TimeoutException)
            {
                // checked once more above
            }
        }
    }

    public void WriteLine(string line)
    {
        _process.StandardInput.Write(line + "\n");
        _process.StandardInput.Flush();
    }

    public ValueTask DisposeAsync() => Wisp.Testing.ChildProcess.KillAndDisposeAsync(_process);
}
