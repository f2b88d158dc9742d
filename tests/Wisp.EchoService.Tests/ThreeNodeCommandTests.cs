using System.Net;
using System.Net.Sockets;

namespace Wisp.EchoService.Tests;

/// <summary>
/// Three nodes, each a real <c>wisp</c> process on loopback running Lua from one folder: node a holds an EVENTUAL name,
/// node c a CONSISTENT one (each node switches its holder's service on with an override), and node b's probe sends to
/// both by name and by PID, monitors and links a's holder, then hears what happens when a is killed: one EXIT and one
/// LINK_DOWN naming the node, a's name released, c still answering.
/// </summary>
public sealed class ThreeNodeCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private const string Index = """
        version: "1.0"
        namespace: app
        entries:
          - name: processes
            kind: process.host
          - name: terminal
            kind: terminal.host
          - name: holder-a
            kind: process.lua
            source: file://holder.lua
            method: eventual
            modules: [logger]
          - name: holder-c
            kind: process.lua
            source: file://holder.lua
            method: consistent
            modules: [logger]
          - name: holder-a-service
            kind: process.service
            process: app:holder-a
            host: app:processes
            lifecycle: {auto_start: false}
          - name: holder-c-service
            kind: process.service
            process: app:holder-c
            host: app:processes
            lifecycle: {auto_start: false}
          - name: probe
            kind: process.lua
            source: file://probe.lua
            modules: [io, time]
        """;

    private const string Holder = """
        local logger = require("logger")

        -- Holds a name in a scope and answers each ping with a pong to the PID the ping carries.
        local function hold(name, scope)
            local ok, err = process.registry.register(name, scope)
            if not ok then error(err) end
            logger:info("holding " .. name)
            local inbox = process.inbox()
            while true do
                local msg = inbox:receive()
                if msg:topic() == "ping" then process.send(msg:payload():data(), "pong", name) end
            end
        end

        return {
            eventual = function() return hold("holder-a", process.registry.EVENTUAL) end,
            consistent = function() return hold("holder-c", process.registry.CONSISTENT) end,
        }
        """;

    private const string Probe = """
        local io = require("io")
        local time = require("time")

        local function find(name)
            for _ = 1, 300 do
                local pid = process.registry.lookup(name)
                if pid then return pid end
                time.sleep("100ms")
            end
            error("name not found: " .. name)
        end

        -- Pings dest (a name or a PID) and waits for its pong.
        local function ping(dest)
            process.send(dest, "ping", process.pid())
            local r = channel.select { process.inbox():case_receive(), time.after("10s"):case_receive() }
            if r.channel ~= process.inbox() then return "no answer" end
            return r.value:topic() .. " from " .. r.value:payload():data() .. " " .. r.value:from()
        end

        local function main()
            local a, c = find("holder-a"), find("holder-c")
            io.print("by name: " .. ping("holder-a"))
            io.print("by pid: " .. ping(c))
            process.set_options({ trap_links = true })
            process.monitor(a)
            process.link(a)
            io.print("watching " .. a)
            local events = process.events()
            for _ = 1, 2 do
                local e = events:receive()
                io.print(e.kind .. " from " .. e.from .. ": " .. tostring(e.result.error))
            end
            for _ = 1, 600 do
                if not process.registry.lookup("holder-a") then break end
                time.sleep("100ms")
            end
            io.print("holder-a released: " .. tostring(process.registry.lookup("holder-a") == nil))
            io.print("after the loss: " .. ping("holder-c"))
            return 0
        end

        return { main = main }
        """;

    private static string[] Ports(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        foreach (var l in listeners) l.Start();
        var ports = listeners.Select(l => $"127.0.0.1:{((IPEndPoint)l.LocalEndpoint).Port}").ToArray();
        foreach (var l in listeners) l.Stop();
        return ports;
    }

    [Fact]
    public async Task A_probe_reaches_two_nodes_by_name_and_pid_and_hears_one_of_them_die()
    {
        _folder.WriteLock();
        _folder.Write("src/_index.yaml", Index);
        _folder.Write("src/holder.lua", Holder);
        _folder.Write("src/probe.lua", Probe);
        var ports = Ports(3);
        string seeds = string.Join(',', ports);
        string[] Node(string name, string listen) => ["--node", name, "--listen", listen, "--seeds", seeds];

        await using var a = EchoProcess.StartWisp(_folder.Path,
            ["run", "-v", .. Node("a", ports[0]), "-o", "app:holder-a-service:lifecycle.auto_start=true"]);
        await a.Error.ExpectAsync("holding holder-a");
        await using var c = EchoProcess.StartWisp(_folder.Path,
            ["run", "-v", .. Node("c", ports[1]), "-o", "app:holder-c-service:lifecycle.auto_start=true"]);
        await c.Error.ExpectAsync("holding holder-c");
        await using var b = EchoProcess.StartWisp(_folder.Path, ["run", "-x", "app:terminal/app:probe", .. Node("b", ports[2])]);

        await b.Output.ExpectAsync(new System.Text.RegularExpressions.Regex(@"by name: pong from holder-a \{a@app:processes\|0x[0-9a-f]+\}\n"));
        await b.Output.ExpectAsync(new System.Text.RegularExpressions.Regex(@"by pid: pong from holder-c \{c@app:processes\|0x[0-9a-f]+\}\n"));
        var watched = (await b.Output.ExpectAsync(new System.Text.RegularExpressions.Regex(@"watching (\{a@app:processes\|0x[0-9a-f]+\})\n"))).Groups[1].Value;

        a.Signal(9);   // SIGKILL: node a crashes
        var heard = new[]
        {
            (await b.Output.ExpectAsync(new System.Text.RegularExpressions.Regex(@"(pid\.exit|pid\.link\.down) from (\S+): node a unreachable"))),
            (await b.Output.ExpectAsync(new System.Text.RegularExpressions.Regex(@"(pid\.exit|pid\.link\.down) from (\S+): node a unreachable"))),
        };
        Assert.Equal(["pid.exit", "pid.link.down"], heard.Select(m => m.Groups[1].Value).Order());
        Assert.All(heard, m => Assert.Equal(watched, m.Groups[2].Value));
        await b.Output.ExpectAsync("holder-a released: true\n");
        await b.Output.ExpectAsync(new System.Text.RegularExpressions.Regex(@"after the loss: pong from holder-c \{c@"));
        Assert.Equal(0, await b.WaitForExitAsync());
    }
}
