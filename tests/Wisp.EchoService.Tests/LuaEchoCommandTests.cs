namespace Wisp.EchoService.Tests;

/// <summary>
/// The seed's own Lua files, unchanged, end to end through the real wisp command with piped stdin:
/// <c>dotnet wisp.dll -C echo-service-lua run -x app:terminal/app:cli</c>.
/// </summary>
public sealed class LuaEchoCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static ChildProcess StartCli(string folder) =>
        EchoProcess.StartWisp(Path.GetTempPath(), "-C", folder, "run", "-x", "app:terminal/app:cli");

    [Fact]
    public void The_example_folder_holds_the_seeds_files_byte_for_byte()
    {
        foreach (var (name, sha256) in SeedFolder.Files)
            Assert.True(sha256 == SeedFolder.Sha256(Path.Combine(SeedFolder.SourceDirectory, name)), $"{name} differs from the seed's");
        Assert.Equal(SeedFolder.Files.Keys.Order(), Directory.GetFiles(SeedFolder.SourceDirectory).Select(Path.GetFileName).Order());
        // Where the seed itself is at hand (beside the repository, as in the workplace), compare with it too.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var seed = Path.Combine(dir.FullName, "shared", "seed", "echo-service", "src");
            if (!Directory.Exists(seed)) continue;
            foreach (var name in SeedFolder.Files.Keys)
                Assert.Equal(File.ReadAllBytes(Path.Combine(seed, name)), File.ReadAllBytes(Path.Combine(SeedFolder.SourceDirectory, name)));
            return;
        }
    }

    [Fact]
    public async Task Lines_get_upper_case_replies_from_a_new_worker_each_and_an_empty_line_says_goodbye()
    {
        await using var cli = StartCli(SeedFolder.Directory);
        await cli.Output.ExpectAsync(SeedFolder.Banner + SeedFolder.Prompt);
        cli.WriteLine("hello world");
        await cli.Output.ExpectAsync(SeedFolder.Reply("hello world"));
        var first = (await cli.Output.ExpectAsync(SeedFolder.WorkerLine, description: "the first worker line")).Groups[1].Value;
        await cli.Output.ExpectAsync(SeedFolder.Prompt);
        cli.WriteLine("second line");
        await cli.Output.ExpectAsync(SeedFolder.Reply("second line"));
        var second = (await cli.Output.ExpectAsync(SeedFolder.WorkerLine, description: "the second worker line")).Groups[1].Value;
        await cli.Output.ExpectAsync(SeedFolder.Prompt);

        cli.WriteLine("");

        await cli.Output.ExpectAsync(SeedFolder.Goodbye);
        Assert.Equal(0, await cli.WaitForExitAsync());
        Assert.NotEqual(first, second);
        Assert.Equal(SeedFolder.Banner + SeedFolder.Prompt + SeedFolder.Reply("hello world") + $"\u001b  from worker: {first}\u001b\n"
            + SeedFolder.Prompt + SeedFolder.Reply("second line") + $"\u001b  from worker: {second}\u001b\n"
            + SeedFolder.Prompt + SeedFolder.Goodbye, cli.Output.Text);
        Assert.Equal("", cli.Error.Text);
    }

    [Fact]
    public async Task End_of_input_says_goodbye_and_exits_0()
    {
        await using var cli = StartCli(SeedFolder.Directory);
        await cli.Output.ExpectAsync(SeedFolder.Prompt);
        cli.CloseInput();
        Assert.Equal(0, await cli.WaitForExitAsync());
        Assert.Equal(SeedFolder.Banner + SeedFolder.Prompt + SeedFolder.Goodbye, cli.Output.Text);
    }

    [Fact]
    public async Task A_worker_slower_than_the_reply_timeout_gives_timeout()
    {
        // The seed's worker with a long sleep instead of its 100 ms; the CLI waits 2 s for a reply.
        var folder = SeedFolder.CopyTo(_folder, "worker.lua", "time.sleep(\"100ms\")", "time.sleep(\"60s\")");
        await using var cli = StartCli(folder);
        await cli.Output.ExpectAsync(SeedFolder.Prompt);
        cli.WriteLine("slow");
        await cli.Output.ExpectAsync(SeedFolder.Timeout);
        await cli.Output.ExpectAsync(SeedFolder.Prompt);
        cli.CloseInput();
        Assert.Equal(0, await cli.WaitForExitAsync());   // the sleeping worker does not hold the shutdown
        Assert.DoesNotContain("SLOW", cli.Output.Text);
    }

    [Fact]
    public async Task A_csharp_relay_from_an_assembly_the_folder_names_serves_the_lua_cli_and_lua_workers()
    {
        var folder = SeedFolder.CopyTo(_folder, "_index.yaml",
            "    kind: process.lua\n    source: file://relay.lua\n    method: main\n    modules:\n      - process\n      - logger\n      - channel\n      - time\n",
            $"    kind: process.dotnet\n    type: EchoService.Relay\n    method: Main\n    assembly: {EchoProgram.DllPath}\n");
        await using var cli = StartCli(folder);
        await cli.Output.ExpectAsync(SeedFolder.Prompt);
        cli.WriteLine("mixed");
        await cli.Output.ExpectAsync(SeedFolder.Reply("mixed"));   // Lua CLI → C# relay → Lua worker → Lua CLI
        await cli.Output.ExpectAsync(SeedFolder.WorkerLine);
        await cli.Output.ExpectAsync(SeedFolder.Prompt);
        cli.CloseInput();
        Assert.Equal(0, await cli.WaitForExitAsync());
    }

    [Fact]
    public async Task Help_lists_the_commands_and_the_folder_option()
    {
        var (code, output, _) = await EchoProcess.RunWispAsync(_folder.Path, "--help");
        Assert.Equal(0, code);
        foreach (var word in new[] { "init", "run", "-C, --directory" }) Assert.Contains(word, output);
        (code, output, _) = await EchoProcess.RunWispAsync(_folder.Path, "run", "--help");
        Assert.Equal(0, code);
        foreach (var word in new[] { "-x, --exec", "-v, --verbose" }) Assert.Contains(word, output);
    }

    [Fact]
    public async Task A_folder_without_a_lock_file_is_an_error_that_says_what_to_do()
    {
        var (code, _, error) = await EchoProcess.RunWispAsync(_folder.Path, "run", "-x", "app:cli");
        Assert.Equal(2, code);
        Assert.Contains($"no wisp.lock or wippy.lock in {_folder.Path}: run 'init' first", error);
    }

    [Fact]
    public async Task Init_writes_the_lock_file_the_example_holds()
    {
        var folder = Path.Combine(_folder.Path, "fresh");
        Directory.CreateDirectory(folder);
        var (code, output, _) = await EchoProcess.RunWispAsync(_folder.Path, "-C", folder, "init");
        Assert.Equal(0, code);
        Assert.Contains("wrote", output);
        Assert.Equal(File.ReadAllText(Path.Combine(SeedFolder.Directory, "wisp.lock")), File.ReadAllText(Path.Combine(folder, "wisp.lock")));
    }
}
