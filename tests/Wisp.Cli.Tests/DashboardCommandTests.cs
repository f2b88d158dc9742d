using System.Net;
using System.Text.RegularExpressions;

namespace Wisp.Cli.Tests;

/// <summary><c>wisp run --dashboard</c> through the command line: the page served while the node runs, and bad flags refused.</summary>
public sealed partial class DashboardCommandTests
{
    [Fact]
    public async Task Run_with_dashboard_serves_the_nodes_snapshot_and_refuses_an_action_without_the_token()
    {
        await using var node = NodeProcess.Start("run", "--dashboard", "127.0.0.1:0", "--dashboard-token", "sesame");
        await node.Error.ExpectAsync("(the token allows cancel and terminate)");
        var address = new Uri(Announced().Match(node.Error.Text).Groups[1].Value);

        using var http = new HttpClient { BaseAddress = address, Timeout = WatchedNode.Deadline };
        var snapshot = await http.GetStringAsync("api/snapshot");
        Assert.Contains("app:relay-service", snapshot);
        var refused = await http.PostAsync("api/processes/%7Bapp%3Aprocesses%7C0x00001%7D/terminate", null);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        node.Terminate();
        Assert.Equal(0, await node.WaitForExitAsync());
    }

    [Theory]
    [InlineData("--dashboard-token x", "error: --dashboard-token and --dashboard-allow-remote need --dashboard")]
    [InlineData("--dashboard 0.0.0.0:7979", "error: dashboard address '0.0.0.0:7979': 0.0.0.0 is not a loopback address")]
    [InlineData("--dashboard 127.0.0.1:99999", "error: dashboard address '127.0.0.1:99999': the port must be a number from 0 to 65535")]
    public async Task Bad_dashboard_flags_are_refused_before_the_node_starts(string flags, string expected)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await WispCommandLine.InvokeAsync(["-C", AppContext.BaseDirectory, "run", .. flags.Split(' ')], TextReader.Null, output, error)
            .WaitAsync(WatchedNode.Deadline);
        Assert.Equal(2, code);
        Assert.StartsWith(expected, error.ToString());
    }

    [GeneratedRegex(@"dashboard: (http://\S+/)#token=sesame")]
    private static partial Regex Announced();
}
