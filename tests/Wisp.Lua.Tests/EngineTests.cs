namespace Wisp.Lua.Tests;

/// <summary>
/// The Lua engine seen from C#: isolation between processes, preemption of a busy loop, the memory limit, the
/// state released on every way out of a process, and errors that name the entry, the file and the line.
/// </summary>
public class EngineTests
{
    private static Dictionary<string, string> Files(params (string Name, string Text)[] files) =>
        files.ToDictionary(f => f.Name, f => f.Text);

    private static string Entry(string name, string modules = "[time]") => $"""
        - name: {name}
          kind: process.lua
          source: file://{name}.lua
          modules: {modules}

        """;

    [Fact]
    public async Task What_a_process_does_to_its_globals_and_libraries_is_not_seen_by_another()
    {
        await using var node = await LuaNode.Open(LuaApiTests.Folder, new LuaOptions { ShardsPerHost = 1 });
        Assert.Equal("changed", await node.Value("app:isolation", "change"));   // one shard: both share a Lua state
        Assert.Equal("clean", await node.Value("app:isolation", "check"));
    }

    [Theory]
    [InlineData("while true do end")]
    [InlineData("coroutine.wrap(function() while true do end end)()")]
    [InlineData("local co = coroutine.create(function() local x = 0 while true do x = x + 1 end end) coroutine.resume(co)")]
    [InlineData("coroutine.spawn(function() while true do end end) process.inbox():receive()")]
    [InlineData("pcall(function() while true do end end)")]
    [InlineData("local t = setmetatable({}, { __index = function() while true do end end }) return t.x")]
    [InlineData("local t = setmetatable({}, { __add = function() while true do end end }) return t + 1")]
    public async Task A_busy_loop_is_preempted_so_another_process_on_its_worker_runs_and_it_can_be_terminated(string body)
    {
        await using var node = await LuaNode.Start(Entry("spin") + Entry("echo"), Files(
            ("spin.lua", $"return {{ main = function() {body} end }}"),
            ("echo.lua", "return { main = function(x) return x end }")),
            hostSettings: "workers: 1");   // one worker, one shard: without preemption the echo never runs
        var (spinner, spinning) = node.Node.SpawnWatched("app:spin", LuaNode.Host);
        Assert.Equal("still answers", await node.Value("app:echo", "still answers"));
        node.Node.Terminate(spinner);
        var result = await spinning.WaitAsync(LuaNode.Deadline);
        Assert.Equal("process terminated", result.Error?.Message);
    }

    /// <summary>Where Lua cannot yield (a callback of a C function, a pattern that backtracks), the process is ended once it has run there for the limit.</summary>
    [Theory]
    [InlineData("string.find(string.rep('a', 100000), '.-.-.-.-b')")]
    [InlineData("pcall(string.gsub, string.rep('a', 100000), 'a-a-a-a-b', '')")]
    [InlineData("string.gsub('x', '.', function() while true do end end)")]
    [InlineData("table.sort({ 3, 2, 1 }, function(a, b) while true do end end)")]
    [InlineData("return tostring(setmetatable({}, { __tostring = function() while true do end end }))")]
    [InlineData("xpcall(error, function() while true do end end)")]
    [InlineData("while true do pcall(string.gsub, 'x', '.', function() while true do pcall(function() while true do end end) end end) end")]
    [InlineData("local co = coroutine.create(function() while true do end end) string.gsub('x', '.', function() while true do pcall(coroutine.resume, co) end end)")]
    [InlineData("coroutine.wrap(function() string.gsub('x', '.', function() while true do end end) end)()")]
    public async Task A_busy_loop_where_Lua_cannot_yield_is_ended_so_another_process_on_its_worker_runs(string body)
    {
        await using var node = await LuaNode.Start(Entry("spin") + Entry("echo"), Files(
            ("spin.lua", $"return {{ main = function() {body} end }}"),
            ("echo.lua", "return { main = function(x) return x end }")),
            hostSettings: "workers: 1", options: new LuaOptions { MaxUnpreemptibleTime = TimeSpan.FromMilliseconds(200) });
        var (_, spinning) = node.Node.SpawnWatched("app:spin", LuaNode.Host);
        Assert.Equal("still answers", await node.Value("app:echo", "still answers"));
        var result = await spinning.WaitAsync(LuaNode.Deadline);
        Assert.Equal(ErrorKind.LimitExceeded, result.Error?.Kind);
        Assert.Equal("busy loop ended: the process ran for more than 0.2 s where it cannot be preempted "
            + "(a callback of a C function such as string.gsub or table.sort, or a long pattern match)", result.Error?.Message);
        Assert.Equal("after", await node.Value("app:echo", "after"));   // on the ended process's thread, reused
    }

    [Fact]
    public async Task A_top_level_that_cannot_yield_is_refused_at_spawn()
    {
        await using var node = await LuaNode.Start(Entry("spin"), Files(
            ("spin.lua", "string.gsub('x', '.', function() while true do end end) return { main = function() end }")),
            options: new LuaOptions { MaxUnpreemptibleTime = TimeSpan.FromMilliseconds(200) });
        var e = await Assert.ThrowsAsync<WispException>(() => Task.Run(() => node.Node.SpawnWatched("app:spin", LuaNode.Host)).WaitAsync(LuaNode.Deadline));
        Assert.EndsWith("the script's top level did not finish within 1 s (an endless loop?)", e.Message);
    }

    [Fact]
    public async Task Preempted_processes_keep_their_locals_while_the_collector_runs()
    {
        // Two busy processes in one Lua state, preempted dozens of times each, both making garbage: while one
        // waits for its turn the other's allocations run the collector, which must still see the waiting one's
        // locals and tables. Every value must come back intact.
        await using var node = await LuaNode.Start(Entry("busy"), Files(("busy.lua", """
            return { main = function(rounds)
                local kept, total, text = {}, 0, "start"
                for i = 1, rounds do
                    local t = { i, tostring(i), { i * 2 } }
                    total = total + t[1] + t[3][1]
                    if i % 1000 == 0 then kept[#kept + 1] = t end
                    text = text:sub(1, 5) .. i
                end
                for j, t in ipairs(kept) do assert(t[1] == j * 1000 and t[2] == tostring(j * 1000), "table " .. j) end
                return { total = total, text = text, kept = #kept }
            end }
            """)), options: new LuaOptions { ShardsPerHost = 1 });
        var runs = await Task.WhenAll(node.Run("app:busy", 1_000_000), node.Run("app:busy", 1_000_000));
        foreach (var run in runs)
        {
            Assert.True(run.Error is null, run.Error?.Message);
            var result = Assert.IsType<PayloadMap>(run.Value);
            Assert.Equal((3L * 1_000_000 * 1_000_001 / 2, "start1000000", 1000L), ((long)result["total"]!, (string)result["text"]!, (long)result["kept"]!));
        }
    }

    [Fact]
    public async Task A_process_past_the_memory_limit_fails_alone_with_a_clear_error()
    {
        // Growth in plain code and in coroutines, and a process that catches its memory errors and goes on.
        await using var node = await LuaNode.Start(Entry("hog") + Entry("small") + Entry("blob") + Entry("co_hog") + Entry("co_blob")
            + Entry("catcher") + Entry("gsub_catcher"), Files(
            ("hog.lua", """
                return { main = function()
                    local t = {}
                    for i = 1, 10000000 do t[i] = { i } end
                    return #t
                end }
                """),
            ("blob.lua", "return { main = function() return #string.rep('x', 50000000) end }"),
            ("co_hog.lua", "return { main = function() local t = {} coroutine.wrap(function() while true do t[#t + 1] = { #t } end end)() end }"),
            ("co_blob.lua", "return { main = function() coroutine.spawn(function() local s = string.rep('x', 50000000) end) process.inbox():receive() end }"),
            ("catcher.lua", "return { main = function() local kept = {} while true do pcall(function() kept[#kept + 1] = string.rep('x', 1000000) end) end end }"),
            ("gsub_catcher.lua", """
                return { main = function()
                    local kept = {}
                    string.gsub('x', '.', function() while true do pcall(function() kept[#kept + 1] = string.rep('x', 1000000) end) end end)
                end }
                """),
            ("small.lua", "return { main = function() local t = {} for i = 1, 1000 do t[i] = i end return #t end }")),
            hostSettings: "memory_limit: 4MiB", options: new LuaOptions { ShardsPerHost = 1 });
        foreach (var hog in new[] { "app:hog", "app:blob", "app:co_hog", "app:co_blob", "app:catcher", "app:gsub_catcher" })
        {
            var result = await node.Run(hog);
            Assert.True(result.Error is not null, hog);
            Assert.Equal(ErrorKind.LimitExceeded, result.Error.Kind);
            Assert.Equal("memory limit exceeded: the process holds more than 4194304 bytes (the host's memory_limit)", result.Error.Message);
            Assert.Equal(1000L, await node.Value("app:small"));   // the same Lua state goes on serving
        }
    }

    public enum ExitPath { Return, Error, Cancel, Terminate, LinkedFailure, Shutdown }

    private const string Holder = """
        -- Builds a big table held by its globals (what a leak of its state would keep), tells the test it has,
        -- then ends the way it is asked to (or waits to be ended).
        return { main = function(how, probe)
            local big = {}
            for i = 1, 20000 do big[i] = "item " .. i end
            held = big
            local events, inbox = process.events(), process.inbox()
            if how == "return" then return #big end
            if how == "error" then error("boom") end
            if how == "linked" then process.spawn_linked("app:failing", "app:processes") end
            process.send(probe, "ready")
            local r = channel.select { inbox:case_receive(), events:case_receive() }
            return #big
        end }
        """;

    [Theory]
    [InlineData(ExitPath.Return)]
    [InlineData(ExitPath.Error)]
    [InlineData(ExitPath.Cancel)]
    [InlineData(ExitPath.Terminate)]
    [InlineData(ExitPath.LinkedFailure)]
    [InlineData(ExitPath.Shutdown)]
    public async Task A_process_state_is_released_on_every_way_out(ExitPath path)
    {
        await using var node = await LuaNode.Start(Entry("holder") + Entry("failing"), Files(
            ("holder.lua", Holder), ("failing.lua", "return { main = function() error('partner failed') end }")),
            options: new LuaOptions { ShardsPerHost = 1 });
        await node.Value("app:holder", "return");   // the script is loaded and has run once
        await node.Lua.CollectGarbageAsync();
        long baseline = node.Lua.NativeBytes;

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var probe = node.Node.Spawn("app:terminal", async p =>
        {
            await p.Inbox.Receive();
            ready.TrySetResult();
            return null;
        });
        var how = path switch { ExitPath.Return => "return", ExitPath.Error => "error", ExitPath.LinkedFailure => "linked", _ => "wait" };
        var (pid, exit) = node.Node.SpawnWatched("app:holder", LuaNode.Host, how, probe.ToString());
        if (path is ExitPath.Cancel or ExitPath.Terminate or ExitPath.Shutdown) await ready.Task.WaitAsync(LuaNode.Deadline);
        switch (path)
        {
            case ExitPath.Cancel:
                node.Node.Cancel(pid, "stop");
                break;
            case ExitPath.Terminate:
                node.Node.Terminate(pid);
                break;
            case ExitPath.Shutdown:
                await node.Node.StopHostAsync(LuaNode.Host, TimeSpan.FromSeconds(5));
                break;
        }
        var result = await exit.WaitAsync(LuaNode.Deadline);
        Assert.Equal(path is ExitPath.Return or ExitPath.Cancel or ExitPath.Shutdown, result.Error is null);

        await node.Lua.CollectGarbageAsync();
        long after = node.Lua.NativeBytes;
        Assert.True(after - baseline < 16 * 1024, $"{after - baseline} bytes of the process's state are still held after {path}");
    }

    [Fact]
    public async Task A_hundred_thousand_spawns_leave_no_native_growth()
    {
        await using var node = await LuaNode.Start(Entry("quick"), Files(
            ("quick.lua", "return { main = function(n) local t = { n, tostring(n) } return #t end }")));
        await Spawn(node, 2_000);   // warm: scripts loaded, tables grown
        await node.Lua.CollectGarbageAsync();
        long baseline = node.Lua.NativeBytes;
        await Spawn(node, 100_000);
        await node.Lua.CollectGarbageAsync();
        long growth = node.Lua.NativeBytes - baseline;
        Assert.True(growth < 64 * 1024, $"the Lua states grew by {growth} bytes over 100k spawns");
    }

    /// <summary>Spawns <paramref name="count"/> monitored quick processes from a C# process, a thousand at a time, and waits for every EXIT.</summary>
    private static async Task Spawn(LuaNode node, int count)
    {
        var done = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        node.Node.Spawn("app:terminal", async p =>
        {
            int started = 0, exited = 0, failed = 0;
            while (exited < count)
            {
                while (started < count && started - exited < 1000) p.SpawnMonitored("app:quick", LuaNode.Host, started++);
                var (e, _) = await p.Events.Receive();
                exited++;
                if (e.Result?.Error is not null) failed++;
            }
            done.SetResult(failed);
            return null;
        });
        Assert.Equal(0, await done.Task.WaitAsync(TimeSpan.FromMinutes(2)));
    }
}
