namespace Wisp.Lua.Tests;

/// <summary>
/// What goes wrong in a Lua entry is reported with the entry, the file and the line: at spawn time to the
/// spawner (the script does not compile, has no such method, requires a module its entry does not list), or as
/// the process's EXIT error with a Lua traceback in the log (an error while it runs).
/// </summary>
public class ErrorTests
{
    private static async Task<(LuaNode Node, string Index)> Boot(string source, string modules = "[time]", string method = "main")
    {
        var node = await LuaNode.Start($"""
            - name: script
              kind: process.lua
              source: file://lib/script.lua
              method: {method}
              modules: {modules}
            """, new Dictionary<string, string> { ["lib/script.lua"] = source });
        return (node, "_index.yaml");
    }

    [Theory]
    [InlineData("return { main = function()\n  local x = = 1\nend }", "lib/script.lua:2: unexpected symbol near '='", ErrorKind.Invalid)]
    [InlineData("return { other = function() end }", "method \"main\" not found in module", ErrorKind.NotFound)]
    [InlineData("local time = require('time')\nlocal logger = require('logger')\nreturn { main = function() end }",
        "lib/script.lua:2: module 'logger' is not allowed: add it to the modules of app:script", ErrorKind.Invalid)]
    [InlineData("local x = require('nosuch')\nreturn {}", "lib/script.lua:1: module 'nosuch' not found", ErrorKind.Invalid)]
    [InlineData("error('broken at load')\nreturn {}", "lib/script.lua:1: broken at load", ErrorKind.Invalid)]
    [InlineData("while true do end", "the script's top level did not finish", ErrorKind.Invalid)]
    [InlineData("type T = {\n  a: number,\n}\nreturn { main = function()\n  local x: T = = 1\nend }",
        "lib/script.lua:5: unexpected symbol near '='", ErrorKind.Invalid)]
    [InlineData("return { main = function()\n  local x: = 1\nend }", "lib/script.lua:2:12: type expected near '='", ErrorKind.Invalid)]
    public async Task A_script_that_cannot_start_fails_the_spawn_with_the_entry_file_and_line(string source, string message, ErrorKind kind)
    {
        var (node, _) = await Boot(source);
        await using (node)
        {
            var e = Assert.Throws<WispException>(() => node.Node.Spawn("app:script", LuaNode.Host));
            Assert.Equal(kind, e.Kind);
            Assert.StartsWith("app:script (", e.Message);                       // the entry, and where it is written
            Assert.Contains("_index.yaml:", e.Message);
            Assert.Contains(message, e.Message);
            Assert.Equal(e.Message, Assert.Throws<WispException>(() => node.Node.Spawn("app:script", LuaNode.Host)).Message);
        }
    }

    [Fact]
    public async Task A_missing_source_file_fails_the_spawn()
    {
        var node = await LuaNode.Start("""
            - name: script
              kind: process.lua
              source: file://nowhere.lua
            """, new Dictionary<string, string>());
        await using (node)
        {
            var e = Assert.Throws<WispException>(() => node.Node.Spawn("app:script", LuaNode.Host));
            Assert.Equal(ErrorKind.NotFound, e.Kind);
            Assert.Contains("nowhere.lua", e.Message);
        }
    }

    [Fact]
    public async Task An_error_while_running_is_the_exit_error_with_a_traceback_in_the_log()
    {
        var (node, _) = await Boot("""
            local function inner(x)
              return x.missing.field
            end
            return { main = function() local v = inner({}) return v end }
            """);
        await using (node)
        {
            var result = await node.Run("app:script");
            Assert.Equal("lib/script.lua:2: attempt to index a nil value (field 'missing')", result.Error?.Message);
            var log = Assert.Single(node.Logs.Lines, line => line.Contains("(app:script) ended with an error"));
            Assert.StartsWith("Error wisp.crash: process {app:processes|0x", log);
            Assert.Contains("stack traceback:", log);
            Assert.Contains("lib/script.lua:2: in ", log);
            Assert.True(log.Contains("lib/script.lua:4: in "), log);
        }
    }

    /// <summary>The typed dialect keeps every line: an error on line N of an annotated script says line N.</summary>
    [Theory]
    [InlineData("""
        type Point = {
            x: number,
            y: number,
        }
        local function length(p: Point): number
            return p.missing.value
        end
        return { main = function() return length({ x = 1, y = 2 }) end }
        """, "lib/script.lua:6: attempt to index a nil value (field 'missing')")]
    [InlineData("""
        local arr: {number} = {}
        local kind = typeof(
            arr
        ):elem():kind()
        interface Named
            function name(self: Named): string
        end
        return { main = function(): string
            local s: string = string(42)
            return s
        end }
        """, "lib/script.lua:9: expected string, got number")]
    [InlineData("""
        type Age = number @min(0)
        return { main = function()
            local age = Age(-1)
        end }
        """, "lib/script.lua:3: expected Age, got number")]
    public async Task An_error_in_an_annotated_script_is_at_its_line(string source, string message)
    {
        var (node, _) = await Boot(source);
        await using (node)
            Assert.Equal(message, (await node.Run("app:script")).Error?.Message);
    }

    [Fact]
    public async Task An_error_object_keeps_its_kind_and_retryable_flag_in_the_exit()
    {
        var (node, _) = await Boot("""
            return { main = function()
              error(errors.new({ message = "no such user", kind = errors.NOT_FOUND, retryable = false }))
            end }
            """);
        await using (node)
        {
            var error = (await node.Run("app:script")).Error!;
            Assert.Equal(("no such user", ErrorKind.NotFound, (bool?)false), (error.Message, error.Kind, error.Retryable));
        }
    }

    [Fact]
    public async Task An_error_in_a_spawned_coroutine_fails_the_process()
    {
        var (node, _) = await Boot("""
            local time = require("time")
            return { main = function()
              coroutine.spawn(function() time.sleep("1ms") error("the coroutine broke") end)
              time.sleep("10s")
              return "not reached"
            end }
            """);
        await using (node)
            Assert.Equal("lib/script.lua:3: the coroutine broke", (await node.Run("app:script")).Error?.Message);
    }
}
