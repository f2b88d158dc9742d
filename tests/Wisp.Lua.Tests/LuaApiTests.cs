using Wisp.Cli;
using Wisp.Hosting.Entries;
using Wisp.Hosting.Testing;

namespace Wisp.Lua.Tests;

/// <summary>
/// The Lua API, area by area: the test entries of lua/_index.yaml (function.lua, meta.type test, a suite per area),
/// each a program that asserts its results, documented errors included; a failed assertion is its error, with the
/// file and line. Each runs here through the test runner, and all of them through the wisp command's <c>test</c>.
/// </summary>
public class LuaApiTests
{
    internal static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "lua");

    private static IEnumerable<string> TestIds() => EntryLoader.LoadDirectory(Folder).OfType<LuaEntry>()
        .Where(e => e.Meta.GetValueOrDefault("type") as string == "test").Select(e => e.Id.ToString()).Order();

    public static TheoryData<string> Tests => new(TestIds());

    [Theory]
    [MemberData(nameof(Tests))]
    public async Task Test_entry_passes(string id)
    {
        await using var node = await LuaNode.Open(Folder);
        var runner = new TestRunner(node.Runtime);
        var test = Assert.Single(runner.Discover(filter: id), t => t.Id.ToString() == id);
        var outcome = Assert.Single(await runner.RunAsync([test], LuaNode.Deadline));
        Assert.True(outcome.Passed, $"{id} failed: {outcome.Error?.Message}\n{node.Logs}");
    }

    [Fact]
    public async Task The_wisp_test_command_runs_them_all_by_suite()
    {
        var report = Path.Combine(Path.GetTempPath(), "wisp-lua-api-" + Guid.NewGuid().ToString("N") + ".xml");
        var output = new StringWriter();
        try
        {
            int code = await WispCommandLine.InvokeAsync(["-C", Folder, "test", "--junit", report], TextReader.Null, output, TextWriter.Null,
                new WispCommandOptions { ProcessKinds = () => [new LuaRuntime()], LockBesideProgram = false });
            Assert.True(code == 0, output.ToString());
            var cases = System.Xml.Linq.XDocument.Load(report).Descendants("testcase").ToList();
            Assert.Equal(TestIds(), cases.Select(c => c.Attribute("name")!.Value).Order());
            Assert.Contains("suite process", output.ToString());
            Assert.Contains($"{cases.Count} passed, 0 failed, {cases.Count} total", output.ToString());
        }
        finally
        {
            File.Delete(report);
        }
    }
}
