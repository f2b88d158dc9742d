using Wisp.Cli;
using Wisp.Hosting.Entries;
using Wisp.Hosting.Testing;

namespace Wisp.Lua.Tests;

/// <summary>
/// The Lua API, area by area: the test entries of lua/_index.yaml (function.lua, meta.type test, a suite per area),
/// each a program that asserts its results, documented errors included; a failed assertion is its error, with the
/// file and line. Each runs here through the test runner, and all of them through the wisp command's <c>test</c>;
/// what the logger and io suites wrote, which a Lua test cannot read, is checked here.
/// </summary>
public class LuaApiTests
{
    internal static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "lua");

    /// <summary>The terminal input the io suite reads.</summary>
    private const string IoInput = "first line\nabcdefgh\nlast, no newline";

    private static IEnumerable<string> TestIds() => EntryLoader.LoadDirectory(Folder).OfType<LuaEntry>()
        .Where(e => e.Meta.GetValueOrDefault("type") as string == "test").Select(e => e.Id.ToString()).Order();

    public static TheoryData<string> Tests => new(TestIds());

    private static Task<LuaNode> Open(TextWriter? output = null, TextWriter? error = null) =>
        LuaNode.Open(Folder, input: new StringReader(IoInput), output: output, error: error);

    private static async Task Passes(LuaNode node, string id)
    {
        var runner = new TestRunner(node.Runtime);
        var test = Assert.Single(runner.Discover(filter: id), t => t.Id.ToString() == id);
        var outcome = Assert.Single(await runner.RunAsync([test], LuaNode.Deadline));
        Assert.True(outcome.Passed, $"{id} failed: {outcome.Error?.Message}\n{node.Logs}");
    }

    [Theory]
    [MemberData(nameof(Tests))]
    public async Task Test_entry_passes(string id)
    {
        await using var node = await Open();
        await Passes(node, id);
    }

    [Fact]
    public async Task The_io_suite_writes_the_terminal()
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        await using var node = await Open(output, error);
        await Passes(node, "app:io_module");
        Assert.Equal("a1b2.5 5truenilcustom\nx\t2\ty\ntrue\tfalse\tnil\t42\tcustom\ttail\n\n", output.ToString().Replace("\r", ""));
        Assert.Equal("to stderr\t1\tnil\n", error.ToString().Replace("\r", ""));
    }

    [Fact]
    public async Task A_terminal_that_fails_gives_internal_errors_and_print_ignores_them()
    {
        await using var node = await LuaNode.Start("""
            - name: broken
              kind: process.lua
              source: file://broken.lua
              modules: [io]
            """, new Dictionary<string, string>
            {
                ["broken.lua"] = """
                    local io = require("io")
                    local function internal(what, ok, err)
                        assert(ok == nil and tostring(err) == what and err:kind() == errors.INTERNAL and err:retryable() == false,
                            what .. ": " .. tostring(err))
                    end
                    return { main = function()
                        internal("broken pipe", io.write("x"))
                        internal("broken pipe", io.flush())
                        internal("input gone", io.readline())
                        internal("input gone", io.read(2))
                        assert(io.print("x") == true and io.eprint("x") == true, "print and eprint ignore write errors")
                        return "checked"
                    end }
                    """,
            }, input: new BrokenInput(), output: new BrokenOutput());
        var result = await node.RunOn("app:terminal", "app:broken");
        Assert.True(result.Error is null, result.Error?.Message);
        Assert.Equal("checked", result.Value);
    }

    private sealed class BrokenOutput : TextWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;
        public override void Write(char value) => throw new IOException("broken pipe");
        public override void Flush() => throw new IOException("broken pipe");
    }

    private sealed class BrokenInput : TextReader
    {
        public override string ReadLine() => throw new IOException("input gone");
        public override int Read(char[] buffer, int index, int count) => throw new IOException("input gone");
    }

    [Fact]
    public async Task The_logger_suite_writes_its_entries_through_the_node_with_the_pid_location_fields_and_names()
    {
        await using var node = await Open();
        await Passes(node, "app:logger_module");
        var lines = node.Logs.Lines.Where(l => l.Contains(" app:logger_module: ")).ToList();
        // The entry that starts so, holding every field given (as JSON text) and no other of the suite's.
        string Entry(string start, params string[] fields)
        {
            var line = Assert.Single(lines, l => l.StartsWith(start, StringComparison.Ordinal));
            foreach (var field in fields) Assert.Contains(field, line);
            Assert.Matches(@" => pid=\{app:processes\|0x[0-9a-f]+\}$", line);
            return line;
        }

        var info = Entry("Information app:logger_module: info entry {", "\"str\":\"hello\"", "\"num\":42", "\"float\":3.14",
            "\"bool\":true", "\"nested\":{\"a\":[1,2]}", "\"err\":\"inner\"", "\"at\":\"1970-01-01 00:00:00 +0000 UTC\"", "\"wait\":\"1m30s\"");
        Assert.Matches(@"""location"":""app:logger_module:\d+""", info);
        Assert.DoesNotContain("dropped", info);
        Entry("Debug app:logger_module: debug entry {", "\"n\":1");
        Entry("Warning app:logger_module: warn entry {", "\"location\"");
        Entry("Error app:logger_module: error entry {", "\"error\":\"boom\"", "\"op\":\"read\"");
        Entry("Information app:logger_module: 42 {");
        Entry("Information app:logger_module: nil fields {");
        Entry("Information app:logger_module: with entry {", "\"service\":\"api\"", "\"region\":\"eu\"");
        var merged = Entry("Warning app:logger_module: merged entry {", "\"service\":\"api2\"", "\"region\":\"eu\"", "\"method\":\"POST\"");
        Assert.DoesNotContain("GET", merged);
        Assert.DoesNotContain("service", Entry("Information app:logger_module: base entry {"));
        Entry("Information app:logger_module: named entry {", "\"logger\":\"auth\"");
        Entry("Error app:logger_module: nested name entry {", "\"logger\":\"auth.session\"", "\"user\":7");
        Entry("Debug app:logger_module: named with fields entry {", "\"logger\":\"db\"", "\"service\":\"api\"");
        Entry("Information app:logger_module: printed 42 ");
    }

    [Fact]
    public async Task The_wisp_test_command_runs_them_all_by_suite()
    {
        var report = Path.Combine(Path.GetTempPath(), "wisp-lua-api-" + Guid.NewGuid().ToString("N") + ".xml");
        var output = new StringWriter();
        try
        {
            int code = await WispCommandLine.InvokeAsync(["-C", Folder, "test", "--junit", report], new StringReader(IoInput), output, TextWriter.Null,
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
