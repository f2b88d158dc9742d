namespace Wisp.Cli.Tests;

/// <summary>
/// <c>wisp run</c> without <c>-x</c> through the real command: it boots the auto-start services, logs on the console
/// at info, and runs until SIGTERM, then stops its services (each hears its CANCEL) and exits 0; <c>wisp run NAME</c>
/// runs the entry whose <c>meta.command.name</c> is NAME; the words after the entry are its <c>io.args()</c>.
/// </summary>
public sealed class WispRunCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public WispRunCommandTests()
    {
        _folder.WriteLock();
        _folder.Write("src/ticker.lua", """
            return {
                main = function()
                    local logger = require("logger")
                    local events = process.events()
                    logger:info("ticker up")
                    while true do
                        local e = events:receive()
                        if e.kind == process.event.CANCEL then
                            logger:info("ticker heard cancel", { reason = e.reason })
                            return 0
                        end
                    end
                end,
                hello = function()
                    require("io").print("hello from a command")
                    return 0
                end,
                show_args = function()
                    local io = require("io")
                    local args = io.args()
                    io.print(#args .. " args: [" .. table.concat(args, "|") .. "]")
                    return 0
                end,
            }
            """);
        _folder.Write("src/_index.yaml", """
            namespace: app
            entries:
              - {name: terminal, kind: terminal.host}
              - {name: processes, kind: process.host, lifecycle: {auto_start: true}}
              - {name: ticker, kind: process.lua, source: file://ticker.lua, modules: [logger]}
              - {name: ticker-service, kind: process.service, process: app:ticker, host: app:processes, lifecycle: {auto_start: true}}
              - {name: hello, kind: function.lua, source: file://ticker.lua, method: hello, modules: [io], meta: {command: {name: greet}}}
              - {name: show-args, kind: function.lua, source: file://ticker.lua, method: show_args, modules: [io], meta: {command: {name: args}}}
            """);
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Run_without_exec_serves_until_sigterm_then_stops_its_services_and_exits_0()
    {
        await using var node = WispProgram.Start(_folder.Path, "-C", _folder.Path, "run");
        await node.Error.ExpectAsync("node running");   // after the auto-start services have started
        node.Terminate();
        Assert.Equal(0, await node.WaitForExitAsync());
        Assert.Contains("ticker up", node.Error.Text);
        Assert.Contains("ticker heard cancel", node.Error.Text);
        Assert.Contains("service stopping", node.Error.Text);   // the CANCEL's reason
    }

    [Fact]
    public async Task Run_with_a_command_name_runs_that_entry()
    {
        var (code, output, _) = await WispProgram.RunAsync(_folder.Path, "-C", _folder.Path, "run", "greet");
        Assert.Equal(0, code);
        Assert.Contains("hello from a command", output);

        (code, _, var error) = await WispProgram.RunAsync(_folder.Path, "-C", _folder.Path, "run", "nope");
        Assert.Equal(1, code);
        Assert.Contains("command not found: nope", error);
    }

    [Theory]
    [InlineData("0 args: []", "run", "-x", "app:terminal/app:show-args")]
    [InlineData("3 args: [one|two words|--flag]", "run", "-x", "app:terminal/app:show-args", "one", "two words", "--", "--flag")]
    [InlineData("2 args: [one|-v]", "run", "args", "--", "one", "-v")]
    [InlineData("2 args: [@alice|@ticker.lua]", "run", "args", "@alice", "@ticker.lua")]   // words, not response files
    public async Task The_words_after_the_entry_are_the_process_s_io_args(string expected, params string[] command)
    {
        var (code, output, error) = await WispProgram.RunAsync(_folder.Path, ["-C", _folder.Path, .. command]);
        Assert.True(code == 0, error);
        Assert.Contains(expected, output);
    }
}
