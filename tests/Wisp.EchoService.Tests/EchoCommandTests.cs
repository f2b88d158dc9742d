using System.Text.RegularExpressions;
using Wisp.Hosting;

namespace Wisp.EchoService.Tests;

/// <summary>
/// The README's command, end to end, through a child process:
/// <c>dotnet EchoService.dll run -x app:terminal/app:cli</c> in a working folder with no lock file (so the
/// lock beside the program is used), NO_COLOR=1 and redirected streams.
/// </summary>
public sealed class EchoCommandTests : IDisposable
{
    private const string Banner = "Echo Client\nType messages to echo. Ctrl+C to exit.\n\n";
    private static readonly Regex WorkerLine = new(@"(?m)^  from worker: (\{app:processes\|0x[0-9a-f]{5,}\})\n");

    private readonly TempFolder _cwd = new();

    public void Dispose() => _cwd.Dispose();

    private ChildProcess StartCli() => EchoProcess.Start(_cwd.Path, "run", "-x", "app:terminal/app:cli");

    [Fact]
    public void The_lock_and_entries_are_copied_beside_the_program()
    {
        Assert.True(File.Exists(EchoProgram.LockPath), $"missing {EchoProgram.LockPath}");
        Assert.True(File.Exists(EchoProgram.IndexPath), $"missing {EchoProgram.IndexPath}");
        Assert.Equal(EchoProgram.SourceDirectory, LockFile.Read(EchoProgram.LockPath).SourceDirectory);
        Assert.Null(LockFile.Find(_cwd.Path));
    }

    [Fact]
    public async Task Lines_in_give_upper_case_replies_from_a_new_worker_each()
    {
        await using var cli = StartCli();

        await cli.Output.ExpectAsync(Banner + "> ");
        cli.WriteLine("hello world");
        await cli.Output.ExpectAsync("  HELLO WORLD\n");
        var first = (await cli.Output.ExpectAsync(WorkerLine, description: "the first worker line")).Groups[1].Value;

        await cli.Output.ExpectAsync("> ");
        cli.WriteLine("second line");
        await cli.Output.ExpectAsync("  SECOND LINE\n");
        var second = (await cli.Output.ExpectAsync(WorkerLine, description: "the second worker line")).Groups[1].Value;
        await cli.Output.ExpectAsync("> ");

        cli.CloseInput();
        Assert.Equal(0, await cli.WaitForExitAsync());

        Assert.NotEqual(first, second);
        // The whole transcript: the input is not echoed, so each reply follows its prompt on the same line.
        Assert.Equal(
            Banner
            + ">   HELLO WORLD\n"
            + $"  from worker: {first}\n"
            + ">   SECOND LINE\n"
            + $"  from worker: {second}\n"
            + "> \nGoodbye!\n",
            cli.Output.Text);
        Assert.Equal("", cli.Error.Text);
    }

    [Fact]
    public async Task End_of_input_says_goodbye_and_exits_0_without_colours()
    {
        await using var cli = StartCli();
        await cli.Output.ExpectAsync(Banner + "> ");

        cli.CloseInput();

        Assert.Equal(0, await cli.WaitForExitAsync());
        Assert.Equal(Banner + "> \nGoodbye!\n", cli.Output.Text);
        Assert.DoesNotContain('\u001b', cli.Output.Text);
        Assert.DoesNotContain('\u001b', cli.Error.Text);
    }

    [Fact]
    public async Task An_empty_line_says_goodbye_and_exits_0_without_colours()
    {
        await using var cli = StartCli();
        await cli.Output.ExpectAsync("> ");
        cli.WriteLine("hi");
        await cli.Output.ExpectAsync("  HI\n");
        await cli.Output.ExpectAsync(WorkerLine);
        await cli.Output.ExpectAsync("> ");

        cli.WriteLine("");

        await cli.Output.ExpectAsync("\nGoodbye!\n");
        Assert.Equal(0, await cli.WaitForExitAsync());
        Assert.DoesNotContain('\u001b', cli.Output.Text);
        Assert.DoesNotContain('\u001b', cli.Error.Text);
        Assert.EndsWith("> \nGoodbye!\n", cli.Output.Text);
    }
}

/// <summary>The command's failures and its other subcommands, through a child process.</summary>
public sealed class EchoCommandErrorTests : IDisposable
{
    private const string Lock = "directories:\n  src: ./src\n  modules: .wisp\n";

    private readonly TempFolder _cwd = new();

    public void Dispose() => _cwd.Dispose();

    private const string BadDuration = """
        version: "1.0"
        namespace: app

        entries:
          - name: terminal
            kind: terminal.host
            lifecycle:
              auto_start: true

          - name: relay-service
            kind: process.service
            process: app:relay
            host: app:terminal
            lifecycle:
              auto_start: true
              start_timeout: ten seconds

        """;

    private const string UnknownKind = """
        version: "1.0"
        namespace: app

        entries:
          - name: terminal
            kind: terminal.host

          - name: cli
            kind: process.csharp
            type: EchoService.Cli
            method: Main

        """;

    [Theory]
    [InlineData(BadDuration, "start_timeout: ten seconds", "lifecycle.start_timeout", "app:relay-service")]
    [InlineData(UnknownKind, "kind: process.csharp", "kind", "app:cli")]
    public async Task A_broken_index_fails_with_file_line_and_key(string index, string badLine, string key, string entry)
    {
        _cwd.Write("wisp.lock", Lock);
        _cwd.Write(Path.Combine("src", "_index.yaml"), index);
        int line = index.Split('\n').ToList().FindIndex(l => l.Contains(badLine, StringComparison.Ordinal)) + 1;
        Assert.True(line > 0);

        var (code, output, error) = await EchoProcess.RunAsync(_cwd.Path, "run", "-x", "app:terminal/app:cli");

        Assert.NotEqual(0, code);
        Assert.Contains($"_index.yaml:{line}:", error);
        Assert.Contains($"'{key}'", error);
        Assert.Contains(entry, error);
        Assert.DoesNotContain("Echo Client", output);
    }

    [Fact]
    public async Task A_missing_lock_file_fails_with_a_clear_message()
    {
        var missing = Path.Combine(_cwd.Path, "nonexistent", "wisp.lock");

        var (code, output, error) = await EchoProcess.RunAsync(_cwd.Path, "run", "-x", "app:terminal/app:cli", "--lock", missing);

        Assert.NotEqual(0, code);
        Assert.Contains($"lock file not found: {missing}", error);
        Assert.DoesNotContain("Echo Client", output);
    }

    [Fact]
    public async Task An_unknown_entry_fails_with_entry_not_found()
    {
        var (code, output, error) = await EchoProcess.RunAsync(_cwd.Path, "run", "-x", "app:nope");

        Assert.NotEqual(0, code);
        Assert.Contains("entry not found: app:nope", error);
        Assert.DoesNotContain("Echo Client", output);
    }

    [Fact]
    public async Task Help_lists_init_and_run()
    {
        var (code, output, _) = await EchoProcess.RunAsync(_cwd.Path, "--help");

        Assert.Equal(0, code);
        Assert.Matches(@"(?m)^\s+init\s", output);
        Assert.Matches(@"(?m)^\s+run\s", output);
    }

    [Fact]
    public async Task Init_writes_a_lock_naming_src_and_refuses_to_overwrite_it()
    {
        var (code, _, error) = await EchoProcess.RunAsync(_cwd.Path, "init");

        Assert.True(code == 0, error);
        var path = Path.Combine(_cwd.Path, "wisp.lock");
        Assert.True(File.Exists(path));
        var written = File.ReadAllText(path);
        var lockFile = LockFile.Read(path);
        Assert.Equal(Path.Combine(_cwd.Path, "src"), lockFile.SourceDirectory);
        Assert.Equal(Path.Combine(_cwd.Path, ".wisp"), lockFile.ModulesDirectory);

        var (again, _, againError) = await EchoProcess.RunAsync(_cwd.Path, "init");

        Assert.NotEqual(0, again);
        Assert.Contains("already exists", againError);
        Assert.Equal(written, File.ReadAllText(path));
    }
}
