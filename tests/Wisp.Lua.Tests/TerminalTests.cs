using System.Text;

namespace Wisp.Lua.Tests;

/// <summary>
/// The io module on a terminal host (and its error elsewhere), and the logger: entries through the node's
/// ILogger with the process's PID, fields and names.
/// </summary>
public class TerminalTests
{
    private const string Io = """
        local io = require("io")
        return { main = function()
            io.write("a", 1, "b")
            io.print("x", 2, "y")
            io.eprint("to stderr")
            local line = io.readline()
            local rest = io.read(4)
            local next_line = io.readline()
            local eof, err = io.readline()
            assert(io.flush())
            io.print(line, rest, next_line, tostring(eof), err, #io.args())
            return 7
        end }
        """;

    [Fact]
    public async Task Io_reads_and_writes_the_terminal()
    {
        var output = new StringWriter();
        await using var node = await LuaNode.Start("""
            - name: term
              kind: process.lua
              source: file://term.lua
              modules: [io]
            """, new Dictionary<string, string> { ["term.lua"] = Io },
            input: new StringReader("first line\nabcdefgh\n"), output: output);
        var result = await node.RunOn("app:terminal", "app:term");
        Assert.True(result.Error is null, result.Error?.Message);
        Assert.Equal(7L, result.Value);
        Assert.Equal("a1bx\t2\ty\nfirst line\tabcd\tefgh\tnil\tEOF\t0\n", output.ToString().Replace("\r", ""));
    }

    [Fact]
    public async Task Io_outside_a_terminal_host_is_unavailable()
    {
        await using var node = await LuaNode.Start("""
            - name: term
              kind: process.lua
              source: file://term.lua
              modules: [io]
            """, new Dictionary<string, string>
            {
                ["term.lua"] = """
                    local io = require("io")
                    return { main = function()
                        local ok, err = io.print("x")
                        assert(ok == nil and err:kind() == "Unavailable", "unavailable")
                        assert(#io.args() == 0, "no arguments")
                        return tostring(err)
                    end }
                    """,
            });
        Assert.Equal("no terminal context", await node.Value("app:term"));
    }

    [Fact]
    public async Task The_logger_writes_through_the_node_with_the_pid_its_fields_and_its_names()
    {
        await using var node = await LuaNode.Start("""
            - name: talk
              kind: process.lua
              source: file://talk.lua
              modules: [logger]
            """, new Dictionary<string, string>
            {
                ["talk.lua"] = """
                    local logger = require("logger")
                    return { main = function()
                        logger:info("started", { n = 1, ok = true, nested = { a = { 1, 2 } }, [3] = "dropped" })
                        local child = logger:with({ request = "r1" }):named("auth")
                        child:warn("careful")
                        logger:error("failed", { error = errors.new("boom") })
                        logger:debug("detail")
                        print("printed", 42, {})
                        local ok, why = pcall(logger.named, logger, "")
                        assert(not ok and why:find("name cannot be empty", 1, true), tostring(why))
                        ok, why = pcall(logger.info, logger, {})
                        assert(not ok and why:find("bad argument #2 to 'info' %(string expected, got table%)"), tostring(why))
                        return process.pid()
                    end }
                    """,
            });
        var pid = (string)(await node.Value("app:talk"))!;
        var lines = node.Logs.Lines.Where(l => l.Contains("app:talk") && !l.Contains("wisp.")).ToList();
        Assert.Contains(lines, l => l.StartsWith("Information app:talk: started {") && l.Contains("\"n\":1") && l.Contains("\"ok\":true")
            && l.Contains("\"nested\":{\"a\":[1,2]}") && !l.Contains("dropped") && l.Contains($"pid={pid}"));
        Assert.Contains(lines, l => l.StartsWith("Warning app:talk: careful {") && l.Contains("\"logger\":\"auth\"") && l.Contains("\"request\":\"r1\""));
        Assert.Contains(lines, l => l.StartsWith("Error app:talk: failed {\"error\":\"boom\"}"));
        Assert.Contains(lines, l => l.StartsWith("Debug app:talk: detail"));
        Assert.Contains(lines, l => l.StartsWith("Information app:talk: printed 42 "));
    }
}
