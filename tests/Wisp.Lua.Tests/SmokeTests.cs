namespace Wisp.Lua.Tests;

public class SmokeTests
{
    [Fact]
    public async Task A_lua_process_returns_the_sum_of_its_arguments()
    {
        await using var node = await LuaNode.Start("""
            - name: add
              kind: process.lua
              source: file://add.lua
            """, new Dictionary<string, string> { ["add.lua"] = "return { main = function(a, b) return a + b end }" });
        var value = await node.Value("app:add", 1, 2);
        Assert.True(value is 3L, $"{value} ({value?.GetType()})");
    }
}
