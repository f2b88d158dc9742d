namespace Wisp.Lua.Tests;

/// <summary>
/// C# and Lua processes on one node: payloads cross both ways through the neutral model (a record is a table
/// with snake_case keys and back; an integer stays an integer, a float a float; a payload Lua transcoded keeps its
/// format), spawn arguments and exit values too.
/// </summary>
public class InteropTests
{
    public sealed record Order(long Id, string Item, double Price, IReadOnlyList<string> Tags, Pid ReplyTo);
    public sealed record Receipt(long Id, string Item, double Total, bool Ok, long Count);

    private const string Shop = """
        -- Receives an order (a C# record), replies with a receipt (a table the C# side reads as a record), and again in JSON.
        return { main = function()
            local msg = process.inbox():receive()
            assert(msg:payload():get_format() == payload.format.GOLANG, "a C# value is golang/any")
            local order = msg:payload():data()
            assert(math.type(order.id) == "integer", "the id is an integer: " .. math.type(order.id))
            assert(math.type(order.price) == "float", "the price is a float")
            assert(order.tags[2] == "b", "a list is a sequence")
            local receipt = { id = order.id, item = string.upper(order.item), total = order.price * 2, ok = true, count = #order.tags }
            process.send(order.reply_to, "receipt", receipt)
            process.send(order.reply_to, "receipt", payload.new(receipt):transcode(payload.format.JSON))
            return { id = order.id, half = 0.5, whole = 2.0 }
        end }
        """;

    [Fact]
    public async Task A_csharp_record_reaches_lua_as_a_table_and_a_lua_table_comes_back_as_a_record()
    {
        await using var node = await LuaNode.Start("""
            - name: shop
              kind: process.lua
              source: file://shop.lua
            """, new Dictionary<string, string> { ["shop.lua"] = Shop });
        var receipt = new TaskCompletionSource<Receipt>(TaskCreationOptions.RunContinuationsAsynchronously);
        var json = new TaskCompletionSource<Message>(TaskCreationOptions.RunContinuationsAsynchronously);
        var exit = new TaskCompletionSource<ExitResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        node.Node.Spawn("app:terminal", async p =>
        {
            var shop = p.SpawnMonitored("app:shop", LuaNode.Host);
            p.Send(shop, "order", new Order(42, "tea", 1.25, ["a", "b"], p.Pid));
            var (reply, _) = await p.Inbox.Receive();
            receipt.SetResult(reply.Payload<Receipt>());
            json.SetResult((await p.Inbox.Receive()).Value);
            var (ended, _) = await p.Events.Receive();
            exit.SetResult(ended.Result!);
            return null;
        });
        Assert.Equal(new Receipt(42, "TEA", 2.5, true, 2), await receipt.Task.WaitAsync(LuaNode.Deadline));
        var encoded = await json.Task.WaitAsync(LuaNode.Deadline);
        Assert.Equal(EncodedPayload.Json, Assert.IsType<EncodedPayload>(encoded.Payloads[0]).Format);
        Assert.Equal(new Receipt(42, "TEA", 2.5, true, 2), encoded.Payload<Receipt>());
        var value = Assert.IsType<PayloadMap>((await exit.Task.WaitAsync(LuaNode.Deadline)).Value);
        Assert.IsType<long>(value["id"]);      // integers stay integers on the way out,
        Assert.IsType<double>(value["half"]);  // floats stay floats,
        Assert.IsType<double>(value["whole"]); // even with an integral value
        Assert.Equal(2.0, value["whole"]);
    }

    [Fact]
    public async Task Spawn_arguments_and_exit_values_cross_in_both_directions()
    {
        await using var node = await LuaNode.Start("""
            - name: echo
              kind: process.lua
              source: file://echo.lua
            - name: spawner
              kind: process.lua
              source: file://spawner.lua
            """, new Dictionary<string, string>
            {
                ["echo.lua"] = "return { main = function(...) return { ... } end }",
                ["spawner.lua"] = """
                    return { main = function()
                        local child = process.spawn_monitored("app:echo", "app:processes", 7, "x", { k = "v" }, false, 2.5)
                        local exit = process.events():receive()
                        local v = exit.result.value
                        assert(math.type(v[1]) == "integer" and v[1] == 7, "an integer argument")
                        assert(v[2] == "x" and v[3].k == "v" and v[4] == false and v[5] == 2.5, "the other arguments")
                        return "ok"
                    end }
                    """,
            });
        var args = Assert.IsType<PayloadList>(await node.Value("app:echo", 1, "two", new byte[] { 0xff, 0x00 }, new[] { 1, 2 }, Pid.None));
        Assert.Equal(1L, args[0]);
        Assert.Equal("two", args[1]);
        Assert.Equal([0xff, 0x00], Assert.IsType<byte[]>(args[2]));   // a Lua string that is not UTF-8 is a byte string
        Assert.Equal([1L, 2L], Assert.IsType<PayloadList>(args[3]));
        Assert.Equal("{|}", args[4]);
        Assert.Equal("ok", await node.Value("app:spawner"));
    }

    /// <summary>What a send refuses (docs/lua.md, "Values across a process boundary"; docs/runtime.md, "Errors"): the sender gets nil and the error, and goes on (it then sends to itself and reads that).</summary>
    [Theory]
    [InlineData("process.send(process.pid(), 'big', string.rep('x', 2000))", "LimitExceeded: payload too large: more than 1000 bytes")]
    [InlineData("local t = {} for i = 1, 200 do t = { t } end return process.send(process.pid(), 'deep', t)",
        "Invalid: payload nested deeper than 200 tables")]
    [InlineData("local t = {} for i = 1, 199 do t = { t } end return process.send(process.pid(), 'deep', t)", "sent")]
    [InlineData("local t = { name = 't' } t.self = t return process.send(process.pid(), 'cycle', t)", "sent")]
    [InlineData("process.send(process.pid(), '@inbox', 1)", "Invalid: cannot send to @ topics")]
    [InlineData("process.send(process.pid(), '', 1)", "Invalid: topic cannot be empty")]
    [InlineData("process.send('{app:processes|0x}', 't', 1)", "Invalid: invalid pid format: '{app:processes|0x}'")]
    [InlineData("process.send('{app:processes|zz}', 't', 1)", "Invalid: invalid pid format: '{app:processes|zz}'")]
    [InlineData("process.send('{app:processes|0x1', 't', 1)", "Invalid: invalid pid format: '{app:processes|0x1'")]
    [InlineData("process.send('{}', 't', 1)", "Invalid: invalid pid format: '{}'")]
    [InlineData("process.send('{app:processes|0xfffff}', 't', 1)", "NotFound: process not found: {app:processes|0xfffff}")]
    [InlineData("local events = process.events() process.spawn_monitored('app:named', 'app:processes') events:receive() return process.send('gone', 't', 1)",
        "NotFound: could not resolve 'gone' as PID or registered name")]
    public async Task A_refused_send_gives_its_error_and_the_sender_goes_on(string send, string expected)
    {
        if (!send.Contains("return", StringComparison.Ordinal)) send = "return " + send;
        await using var node = await LuaNode.Start("""
            - name: sender
              kind: process.lua
              source: file://sender.lua
            - name: named
              kind: process.lua
              source: file://named.lua
            """, new Dictionary<string, string>
            {
                ["sender.lua"] = $$"""
                    local function attempt() {{send}} end
                    return { main = function()
                        local ok, err = attempt()
                        local outcome = ok and "sent" or (err:kind() .. ": " .. tostring(err))
                        assert(process.send(process.pid(), "after", "goes on"))
                        local inbox = process.inbox()
                        local m = inbox:receive()
                        while m:topic() ~= "after" do m = inbox:receive() end
                        return outcome .. " | " .. m:payload():data()
                    end }
                    """,
                ["named.lua"] = "return { main = function() process.registry.register('gone') end }",
            }, new LuaOptions { MaxPayloadBytes = 1000 });
        Assert.Equal(expected + " | goes on", await node.Value("app:sender"));
    }
}
