using System.Xml.Linq;

namespace Wisp.Cli.Tests;

/// <summary>
/// <c>wisp test</c> through the real command: test entries by suite and order, a failure with its Lua error, file and
/// line, a hanging test stopped by its timeout, the summary and exit code, filters, and the JUnit report.
/// </summary>
public sealed class WispTestCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public WispTestCommandTests()
    {
        _folder.WriteLock();
        _folder.Write("src/tests.lua", """
            return {
                adds = function() assert(1 + 1 == 2) end,
                compares = function() assert("a" < "b") end,
                breaks = function()
                    local got = 2
                    assert(got == 1, "expected 1, got " .. got)
                end,
                hangs = function() require("time").sleep("60s") end,
            }
            """);
        _folder.Write("src/_index.yaml", """
            namespace: app.test
            entries:
              - name: processes
                kind: process.host
              - {name: math_adds, kind: function.lua, source: file://tests.lua, method: adds, meta: {type: test, suite: math, order: 2}}
              - {name: math_breaks, kind: function.lua, source: file://tests.lua, method: breaks, meta: {type: test, suite: math, order: 1}}
              - {name: text_compares, kind: function.lua, source: file://tests.lua, method: compares, meta: {type: test, suite: text}}
              - {name: text_hangs, kind: function.lua, source: file://tests.lua, method: hangs, modules: [time], meta: {type: test, suite: text}}
              - {name: helper, kind: function.lua, source: file://tests.lua, method: adds}
            """);
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Runs_every_test_by_suite_and_order_reports_failures_and_exits_1()
    {
        var (code, output, _) = await WispProgram.RunAsync(_folder.Path, "-C", _folder.Path, "test", "--timeout", "2s", "--junit", "report.xml");

        Assert.Equal(1, code);
        var lines = output.Replace("\r", "").Split('\n');
        string[] expected =
        [
            "suite math", "  FAIL app.test:math_breaks", "       tests.lua:6: expected 1, got 2", "  PASS app.test:math_adds",
            "", "suite text", "  PASS app.test:text_compares", "  FAIL app.test:text_hangs", "       timed out after 2 s",
            "", "2 passed, 2 failed, 4 total",
        ];
        Assert.True(lines.Length >= expected.Length, output);
        for (int i = 0; i < expected.Length; i++) Assert.StartsWith(expected[i], lines[i]);
        Assert.All(lines[expected.Length..], line => Assert.Equal("", line));
        Assert.DoesNotContain("helper", output);   // not a test: no meta.type

        var report = XDocument.Load(Path.Combine(_folder.Path, "report.xml")).Root!;
        Assert.Equal(("4", "2"), (report.Attribute("tests")?.Value, report.Attribute("failures")?.Value));
        var cases = report.Descendants("testcase").ToList();
        Assert.Equal(["math", "math", "text", "text"], cases.Select(c => c.Attribute("classname")!.Value));
        Assert.Equal(["app.test:math_breaks", "app.test:math_adds", "app.test:text_compares", "app.test:text_hangs"],
            cases.Select(c => c.Attribute("name")!.Value));
        Assert.Contains("tests.lua:6: expected 1, got 2", cases[0].Element("failure")!.Attribute("message")!.Value);
        Assert.Null(cases[1].Element("failure"));
    }

    [Fact]
    public async Task A_suite_or_a_filter_narrows_the_run_and_all_passing_exits_0()
    {
        var (code, output, _) = await WispProgram.RunAsync(_folder.Path, "-C", _folder.Path, "test", "--suite", "math", "adds");
        Assert.Equal(0, code);
        Assert.Contains("  PASS app.test:math_adds", output);
        Assert.Contains("1 passed, 0 failed, 1 total", output);

        (code, _, var error) = await WispProgram.RunAsync(_folder.Path, "-C", _folder.Path, "test", "nothing-matches");
        Assert.Equal(1, code);
        Assert.Contains("no tests found", error);
    }
}
