using AspNetEcho;
using EchoService;
using Wisp.Hosting;
using Wisp.Lua;

namespace Wisp.Extensions.Hosting.Tests;

/// <summary>
/// Lua processes under AddWisp: the Lua runtime added as a process kind runs <c>process.lua</c> entries of the files, which
/// answer C# processes, log through the host's loggers and stop with the host.
/// </summary>
public class LuaHostTests
{
    private const string UpperService = """
        namespace: app
        entries:
          - name: procs
            kind: process.host
          - name: lua-upper
            kind: process.lua
            source: file://upper.lua
            modules: [logger]
          - name: lua-upper-service
            kind: process.service
            process: lua-upper
            host: procs
            lifecycle:
              auto_start: true
        """;

    /// <summary>Answers <see cref="Processes.Ask"/>'s questions until CANCEL, which it logs before it returns.</summary>
    private const string UpperScript = """
        local logger = require("logger")

        local function main()
            local inbox, events = process.inbox(), process.events()
            process.registry.register("lua-upper")
            logger:info("lua-upper serving")
            while true do
                local r = channel.select { inbox:case_receive(), events:case_receive() }
                if r.channel == events then
                    if r.value.kind == process.event.CANCEL then
                        logger:info("lua-upper cancelled: " .. r.value.reason)
                        return 0
                    end
                elseif r.value:topic() == "question" then
                    local question = r.value:payload():data()
                    process.send(question.from, "answer", string.upper(question.text))
                end
            end
        end

        return { main = main }
        """;

    [Fact]
    public async Task A_lua_service_answers_a_code_process_and_ends_on_the_cancel_of_the_hosts_stop()
    {
        await using var node = new NodeHost(wisp => wisp
                .AddProcessKind(_ => new LuaRuntime())
                .AddProcess("app:ask", Processes.Ask),
            yaml: UpperService, files: new Dictionary<string, string> { ["upper.lua"] = UpperScript });
        await node.StartAsync();
        await node.Registered("lua-upper");

        Assert.Equal("HI", (await node.CallAsync("app:ask", "lua-upper", "hi")).Value);
        Assert.Contains(node.Logs.Lines, line => line.Contains("app:lua-upper: lua-upper serving"));   // the host's ILoggerFactory

        await node.StopAsync();
        Assert.Contains(node.Logs.Lines, line => line.Contains("app:lua-upper: lua-upper cancelled: service stopping"));
        Assert.Equal(ServiceState.Stopped, node.Runtime.Service("app:lua-upper-service")!.State);
        Assert.Equal(0, node.Runtime.Node.ProcessCount);
    }

    [Fact]
    public async Task The_seeds_lua_echo_service_answers_the_aspnet_examples_ask_and_stops_with_the_host()
    {
        var seed = Path.Combine(AppContext.BaseDirectory, "echo-service-lua", "src");
        await using var node = new NodeHost(wisp => wisp
                .AddProcessKind(_ => new LuaRuntime())
                .AddProcess("app:ask", Ask.Main),
            new Dictionary<string, string?>
            {
                ["Wisp:SourceDirectory"] = seed,
                // The seed's relay ignores CANCEL: its service terminates it after this stop_timeout rather than the default 10 s.
                ["Wisp:Overrides:0"] = "app:relay-service:lifecycle.stop_timeout=200ms",
            });
        await node.StartAsync();
        await node.Registered("relay");

        var reply = Assert.IsType<EchoResponse>((await node.CallAsync("app:ask", "hello world")).Value);
        Assert.Equal("HELLO WORLD", reply.Data);
        Assert.Equal("app:processes", reply.Worker.Host);

        await node.StopAsync();
        Assert.Equal(ServiceState.Stopped, node.Runtime.Service("app:relay-service")!.State);
        Assert.Equal(0, node.Runtime.Node.ProcessCount);
    }
}
