using Xunit.Abstractions;

namespace Wisp.EchoService.Tests;

/// <summary>
/// The wisp command as users install it: <c>dotnet pack</c> makes the .NET tool, <c>dotnet tool install</c> puts it in
/// a tool folder (only the packed file as source), and the installed <c>wisp</c> runs the seed's Lua echo service
/// from another directory and completes its own commands in bash (README, "Install").
/// </summary>
public sealed class ToolInstallTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan BuildDeadline = TimeSpan.FromMinutes(10);
    private readonly TempFolder _folder = new(), _service = new();

    public void Dispose()
    {
        _folder.Dispose();
        _service.Dispose();
    }

    [Fact]
    public async Task The_packed_tool_installs_runs_the_seeds_echo_service_and_completes_its_commands()
    {
        string packages = Path.Combine(_folder.Path, "packages"), tools = Path.Combine(_folder.Path, "tools");
        await Dotnet("pack", Path.Combine(RepositoryRoot(), "src", "Wisp.Command"), "-c", "Release", "-o", packages);
        await Dotnet("tool", "install", "Wisp.Tool", "--tool-path", tools, "--source", packages);
        string wisp = Path.Combine(tools, "wisp");
        var service = SeedFolder.CopyTo(_service);

        await using (var cli = ChildProcess.StartExecutable(wisp, _folder.Path, "-C", service, "run", "-x", "app:terminal/app:cli"))
        {
            await cli.Output.ExpectAsync(SeedFolder.Banner + SeedFolder.Prompt);
            cli.WriteLine("installed");
            await cli.Output.ExpectAsync(SeedFolder.Reply("installed"));
            await cli.Output.ExpectAsync(SeedFolder.WorkerLine, description: "the worker line");
            await cli.Output.ExpectAsync(SeedFolder.Prompt);
            cli.WriteLine("");
            await cli.Output.ExpectAsync(SeedFolder.Goodbye);
            Assert.Equal(0, await cli.WaitForExitAsync());
        }

        // What bash does on Tab after "wisp r": the script asks the installed wisp through the suggest directive.
        var complete = ChildProcess.StartExecutable("bash", _folder.Path, "-c",
            $"export PATH='{tools}':\"$PATH\"; source <(wisp completion bash); "
            + "COMP_WORDS=(wisp r); COMP_LINE='wisp r'; COMP_POINT=6; COMP_CWORD=1; _wisp_complete; printf '%s\\n' \"${COMPREPLY[@]}\"");
        await using (complete)
        {
            complete.CloseInput();
            Assert.Equal(0, await complete.WaitForExitAsync());
            Assert.Contains("run", complete.Output.Text.Split('\n'));
        }
    }

    private async Task Dotnet(params string[] args)
    {
        await using var dotnet = ChildProcess.StartExecutable(ChildProcess.DotnetHost(), _folder.Path, args);
        dotnet.CloseInput();
        int code = await dotnet.WaitForExitAsync(BuildDeadline);
        output.WriteLine($"dotnet {string.Join(' ', args)}: {code}\n{dotnet.Output.Text}{dotnet.Error.Text}");
        Assert.True(code == 0, $"dotnet {string.Join(' ', args)} exited with {code}:\n{dotnet.Output.Text}\n{dotnet.Error.Text}");
    }

    /// <summary>The repository the tests were built from: the first folder above them that holds Wisp.slnx.</summary>
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Wisp.slnx"))) return dir.FullName;
        throw new InvalidOperationException($"no Wisp.slnx above {AppContext.BaseDirectory}");
    }
}
