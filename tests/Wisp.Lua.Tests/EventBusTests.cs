using Wisp.Hosting;

namespace Wisp.Lua.Tests;

/// <summary>The event bus between C# and Lua: an event sent from C# reaches a Lua subscriber; one that falls behind drops and says so.</summary>
public class EventBusTests
{
    private const string Subscriber = """
        local events = require("events")
        return { main = function(parent, read)
            local sub = events.subscribe("load.*")
            process.send(parent, "ready")
            if read then
                local e = sub:channel():receive()
                process.send(parent, "got", { system = e.system, path = e.path, n = e.data.n })
            end
            process.inbox():receive()
        end }
        """;

    private static Task<LuaNode> Start() => LuaNode.Start("""
        - name: subscriber
          kind: process.lua
          source: file://subscriber.lua
          modules: [events]
        """, new Dictionary<string, string> { ["subscriber.lua"] = Subscriber });

    /// <summary>Spawns the subscriber from a C# process and waits until it has subscribed; the C# process then waits for one message.</summary>
    private static async Task<Task<Message>> Subscribed(LuaNode node, bool read)
    {
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var got = new TaskCompletionSource<Message>(TaskCreationOptions.RunContinuationsAsynchronously);
        node.Node.Spawn(LuaNode.Host, async p =>
        {
            p.Spawn("app:subscriber", LuaNode.Host, p.Pid.ToString(), read);
            await p.Inbox.Receive();
            ready.SetResult();
            var (message, _) = await p.Inbox.Receive();
            got.SetResult(message);
            return null;
        });
        await ready.Task.WaitAsync(LuaNode.Deadline);
        return got.Task;
    }

    [Fact]
    public async Task An_event_sent_from_csharp_reaches_a_lua_subscriber()
    {
        await using var node = await Start();
        var got = await Subscribed(node, read: true);
        node.Runtime.Events.Send(new BusEvent("load.test", "tick", "/one", new PayloadMap { { "n", 7L } }));
        var e = Assert.IsType<PayloadMap>((await got.WaitAsync(LuaNode.Deadline)).Payload<object>());
        Assert.Equal(("load.test", "/one", 7L), ((string)e["system"]!, (string)e["path"]!, (long)e["n"]!));
    }

    [Fact]
    public async Task A_subscriber_that_falls_behind_drops_newer_events_and_its_log_says_so()
    {
        await using var node = await Start();
        await Subscribed(node, read: false);
        // The subscriber never reads: at most its channel (64) and backlog (1,024) hold events, so these overflow.
        for (int i = 0; i < 1_500; i++) node.Runtime.Events.Send(new BusEvent("load.test", "tick", "/n", null));
        Assert.Contains(node.Logs.Lines, line => line.Contains("dropping newer events", StringComparison.Ordinal));
    }
}
