using System.Globalization;
using System.Xml.Linq;
using Wisp.Hosting.Testing;

namespace Wisp.Cli;

/// <summary>A JUnit XML report of a test run: a testsuite per suite, a testcase per test (classname = the suite).</summary>
internal static class JUnitReport
{
    public static void Write(string path, IReadOnlyList<TestOutcome> outcomes, TimeSpan total)
    {
        var suites = outcomes.GroupBy(o => o.Test.Suite).Select(suite => new XElement("testsuite",
            new XAttribute("name", suite.Key),
            new XAttribute("tests", suite.Count()),
            new XAttribute("failures", suite.Count(o => !o.Passed)),
            new XAttribute("time", Seconds(suite.Aggregate(TimeSpan.Zero, (sum, o) => sum + o.Duration))),
            suite.Select(o => new XElement("testcase",
                new XAttribute("classname", suite.Key),
                new XAttribute("name", o.Test.Id.ToString()),
                new XAttribute("time", Seconds(o.Duration)),
                o.Error is { } error
                    ? new XElement("failure", new XAttribute("message", error.Message), new XAttribute("type", error.Kind.ToString()), error.Message)
                    : null))));
        var document = new XDocument(new XElement("testsuites",
            new XAttribute("tests", outcomes.Count),
            new XAttribute("failures", outcomes.Count(o => !o.Passed)),
            new XAttribute("time", Seconds(total)),
            suites));
        document.Save(path);
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
}
