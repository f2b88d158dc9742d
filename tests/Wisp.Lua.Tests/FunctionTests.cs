using Wisp.Hosting;
using Wisp.Testing;

namespace Wisp.Lua.Tests;

/// <summary>
/// function.lua entries called from C# (the runtime's Functions, and a C# process through its host's feature), run
/// on the host their meta.default_host names, and run by <c>run -x</c>. The Lua side of funcs is lua/funcs.lua.
/// </summary>
public class FunctionTests
{
    private const string Source = """
        local io = require("io")
        return {
            add = function(a, b) return a + b end,
            shout = function(text) io.print(string.upper(text)) return 3 end,
            broken = function() return nil, errors.new({ message = "no such user", kind = errors.NOT_FOUND }) end,
        }
        """;

    private const string Entries = """
        - name: add
          kind: function.lua
          source: file://fns.lua
          method: add
          modules: [io]
        - name: shout
          kind: function.lua
          source: file://fns.lua
          method: shout
          modules: [io]
          meta:
            default_host: app:terminal
        - name: broken
          kind: function.lua
          source: file://fns.lua
          method: broken
          modules: [io]
        """;

    private static Task<LuaNode> Start(StringWriter? output = null) =>
        LuaNode.Start(Entries, new Dictionary<string, string> { ["fns.lua"] = Source }, output: output);

    [Fact]
    public async Task CSharp_calls_a_lua_function_and_gets_its_value_or_its_error()
    {
        await using var node = await Start();
        var sum = await node.Runtime.Functions.CallAsync("app:add", 40L, 2L).WaitAsync(LuaNode.Deadline);
        Assert.Null(sum.Error);
        Assert.Equal(42L, Assert.IsType<long>(sum.Value));

        var broken = await node.Runtime.Functions.CallAsync("app:broken").WaitAsync(LuaNode.Deadline);
        Assert.Equal("no such user", broken.Error?.Message);
        Assert.Equal(ErrorKind.NotFound, broken.Error?.Kind);

        var missing = (await node.Runtime.Functions.CallAsync("app:missing")).Error;
        Assert.Equal((ErrorKind.NotFound, "function not found: app:missing"), (missing?.Kind, missing?.Message));
        var host = (await node.Runtime.Functions.CallAsync("app:processes")).Error;
        Assert.Equal("entry app:processes is a process.host, not a function or a process", host?.Message);
    }

    [Fact]
    public async Task A_csharp_process_calls_through_its_hosts_feature_and_keeps_its_own_mailbox()
    {
        await using var node = await Start();
        var seen = new TaskCompletionSource<(object? Value, Pid Function, Pid Me, bool InboxEmpty)>(TaskCreationOptions.RunContinuationsAsynchronously);
        node.Node.Spawn(LuaNode.Host, async p =>
        {
            var (function, result) = p.Feature<Functions>()!.Start("app:add", p.HostId, 1L, 2L);
            var exit = await result;
            seen.SetResult((exit.Value, function, p.Pid, !p.Inbox.TryReceive(out _, out _)));
            return null;
        });
        var (value, function, me, inboxEmpty) = await seen.Task.WaitAsync(LuaNode.Deadline);
        Assert.Equal(3L, value);
        Assert.NotEqual(me, function);   // a call is a process of its own
        Assert.True(inboxEmpty);         // and its result does not go through the caller's mailbox
    }

    [Fact]
    public async Task A_function_runs_on_its_default_host_where_io_is()
    {
        var output = new StringWriter();
        await using var node = await Start(output);
        var exit = await node.Runtime.Functions.CallAsync("app:shout", "hi").WaitAsync(LuaNode.Deadline);
        Assert.Null(exit.Error);
        Assert.Equal("HI\n", output.ToString().Replace("\r", ""));
    }

    [Fact]
    public async Task Run_x_runs_a_function_entry_and_its_value_is_the_exit_code()
    {
        using var folder = new TempFolder();
        var src = Directory.CreateDirectory(Path.Combine(folder.Path, "src")).FullName;
        File.WriteAllText(Path.Combine(src, "fns.lua"), """
            local io = require("io")
            return { main = function() io.print("from a function") return 3 end }
            """);
        File.WriteAllText(Path.Combine(src, "_index.yaml"), """
            namespace: app
            entries:
              - name: terminal
                kind: terminal.host
              - name: fn
                kind: function.lua
                source: file://fns.lua
                modules: [io]
            """);
        var output = new StringWriter();
        using var lua = new LuaRuntime();
        var runtime = WispRuntime.Load(new WispRuntimeOptions
        {
            SourceDirectory = src, ProcessKinds = [lua], Output = output, Error = TextWriter.Null, Input = TextReader.Null,
        });
        int code = await runtime.RunAsync("app:terminal/app:fn").WaitAsync(LuaNode.Deadline);
        Assert.Equal(3, code);
        Assert.Equal("from a function\n", output.ToString().Replace("\r", ""));
    }
}
