namespace Wisp.Lua.Tests;

/// <summary>
/// The sandbox seen by a script (docs/lua.md, "The sandbox"): what a Lua process cannot reach. Each case is a
/// process.lua entry spawned on a node whose one Lua state it shares with another process; it must end with the
/// documented outcome (a missing global, or the documented error), and the node must go on: the test host is alive
/// and the shard's other process still answers. Starvation and memory are <see cref="EngineTests"/>'s: a busy loop is
/// preempted (plain, in pcall, a metamethod, coroutines) or, where Lua cannot yield (a gsub callback, a sort
/// comparator, an xpcall handler), ended; a process past its memory limit (plain, in a coroutine, catching the
/// error) fails alone.
/// </summary>
public class SandboxTests
{
    /// <summary>The body of a main function: what the case's process runs.</summary>
    private static string Body(string body) => $"return {{ main = function() {body} end }}";

    public static TheoryData<string, string, string> Cases => new()
    {
        // os: only difftime, time, date, clock and platform
        { "os.exit", Body("return type(os.exit)"), "nil" },
        { "os.exit()", Body("os.exit(1)"), "case.lua:1: attempt to call a nil value (field 'exit')" },
        { "os.execute", Body("return type(os.execute)"), "nil" },
        { "os.getenv", Body("return type(os.getenv)"), "nil" },
        { "os.remove", Body("return type(os.remove)"), "nil" },
        { "os.rename", Body("return type(os.rename)"), "nil" },
        { "os.tmpname", Body("return type(os.tmpname)"), "nil" },
        { "os.setlocale", Body("return type(os.setlocale)"), "nil" },
        // io is Wisp's terminal module (listed), never the standard library's files and processes
        { "io.open", Body("return type(io.open)"), "nil" },
        { "io.popen", Body("return type(io.popen)"), "nil" },
        { "io.lines", Body("return type(io.lines)"), "nil" },
        { "io.input", Body("return type(io.input) .. type(io.output) .. type(io.stdout)"), "nilnilnil" },
        { "io off a terminal", Body("return select(2, io.readline())"), "no terminal context" },
        // require: the entry's modules, the ambient ones and its imports, nothing else
        { "require unlisted", Body("require('json')"), "case.lua:1: module 'json' is not allowed: add it to the modules of app:case" },
        { "require debug", Body("require('debug')"), NotFound("debug") },
        { "require package", Body("require('package')"), NotFound("package") },
        { "require os.exit", Body("return type(require('os').exit)"), "nil" },
        { "package", Body("return type(package)"), "nil" },
        { "package.loadlib", Body("return package.loadlib('libc.so.6', 'system')"), "case.lua:1: attempt to index a nil value (global 'package')" },
        // debug, also through metatables
        { "debug", Body("return type(debug)"), "nil" },
        { "string metatable", Body("return tostring(getmetatable(''))"), "false" },
        { "string metatable __index", Body("return getmetatable('').__index"), "case.lua:1: attempt to index a boolean value" },
        { "string __index method", Body("return type(('').__index) .. type(('').getmetatable)"), "nilnil" },
        { "rawget of the string metatable", Body("return rawget(getmetatable('x'), '__index')"), "case.lua:1: bad argument #1 to 'rawget' (table expected, got boolean)" },
        { "library metatable", Body("return tostring(getmetatable(string)) .. tostring(getmetatable(process))"), "falsefalse" },
        // loading code: no loader, no binary chunk
        { "load", Body("return type(load) .. type(loadstring) .. type(dofile) .. type(loadfile)"), "nilnilnilnil" },
        { "string.dump", Body("return type(string.dump)"), "nil" },
        { "binary chunk to require", Body("require('\\27LuaT\\0')"), NotFound("\x1bLuaT\0") },
        { "binary chunk as the script", "\x1bLuaT\0\x19\x93\r\n\x1a\n\x04\x08\x08", "spawn refused: case.lua:1: unexpected symbol near '<\\27>'" },
        // the environment
        { "collectgarbage", Body("return type(collectgarbage)"), "nil" },
        { "_G metatable", Body("return tostring(getmetatable(_G))"), "false" },
        { "setmetatable(_G)", Body("setmetatable(_G, {})"), "case.lua:1: cannot change a protected metatable" },
        { "setmetatable's checks", Body("setmetatable(1, {})"), "case.lua:1: bad argument #1 to 'setmetatable' (table expected, got number)" },
        { "rawset on _G", Body("rawset(_G, 'debug', 1) rawset(_G, 'load', 2) return debug + load"), "3" },
        { "_ENV", Body("return tostring(rawequal(_ENV, _G))"), "true" },
        { "a library's shared table", Body("process.registry.lookup = nil"), "case.lua:1: attempt to modify the read-only table process.registry" },
        { "__gc finalizer", Body("local ran = false setmetatable({}, { __gc = function() ran = true end }) for i = 1, 200000 do local t = { i } end return tostring(ran)"), "false" },
        // coroutines: a yield at the top of the process is cooperative, a loop request cannot be forged
        { "top-level yield", Body("coroutine.yield() coroutine.yield(1, 1) return 'resumed'"), "resumed" },
        { "resume itself", Body("local ok, err = coroutine.resume(coroutine.running()) return tostring(ok) .. ': ' .. err"), "false: cannot resume non-suspended coroutine" },
        { "close itself", Body("coroutine.close(coroutine.running())"), "case.lua:1: cannot close a running coroutine" },
        { "__close at the exit", Body("local x <close> = setmetatable({}, { __close = function() while true do end end }) error('boom')"), "case.lua:1: boom" },
        { "wrap a yield", Body("local f = coroutine.wrap(function() coroutine.yield(1, 1, 1) return 'done' end) return tostring(f()) .. f()"), "1done" },
    };

    private static string NotFound(string name) =>
        $"case.lua:1: module '{name}' not found (built-in modules: time, io, logger, funcs, json, events, registry, ctx, and the ambient process, channel, payload, errors; or an alias in the entry's imports)";

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_process_cannot_reach_the_host_beyond_its_modules(string name, string script, string expected)
    {
        _ = name;
        await using var node = await LuaNode.Start("""
            - name: case
              kind: process.lua
              source: file://case.lua
              modules: [io]
            - name: witness
              kind: process.lua
              source: file://witness.lua
            """,
            new Dictionary<string, string>
            {
                ["case.lua"] = script,
                ["witness.lua"] = "return { main = function() return process.inbox():receive():payload():data() end }",
            },
            options: new LuaOptions { ShardsPerHost = 1 });   // one Lua state: the case and the witness share it
        var (witness, witnessed) = node.Node.SpawnWatched("app:witness", LuaNode.Host);   // waits while the case runs
        string outcome;
        try
        {
            var result = await node.Run("app:case");
            outcome = result.Error?.Message ?? result.Value?.ToString() ?? "nil";
        }
        catch (WispException e)
        {
            outcome = "spawn refused: " + e.Message[(e.Message.IndexOf("): ", StringComparison.Ordinal) + 3)..];
        }
        Assert.Equal(expected, outcome);
        node.Node.Send(witness, "ping", "still answers");
        Assert.Equal("still answers", (await witnessed.WaitAsync(LuaNode.Deadline)).Value);
    }
}
