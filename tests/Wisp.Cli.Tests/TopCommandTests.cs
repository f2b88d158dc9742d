using Wisp.Hosting.Inspection;
using Wisp.Testing;

namespace Wisp.Cli.Tests;

/// <summary>
/// <c>wisp top</c> through the command line: attached to a node started with <c>run --inspect</c> in the same folder,
/// and the error it prints when no node is there.
/// </summary>
public sealed class TopCommandTests
{
    [Fact]
    public async Task Top_once_finds_the_node_run_with_inspect_in_the_same_folder_and_the_socket_goes_with_the_node()
    {
        using var temp = new TempFolder();
        var folder = temp.Path;
        await using var node = NodeProcess.Start("-C", folder, "run", "--inspect");
        await node.Error.ExpectAsync("node running");
        Assert.Contains($"inspection endpoint at {InspectionPath.For(folder)}", node.Error.Text);

        var (code, output, error) = await TopAsync("-C", folder, "top", "--once");
        Assert.True(code == 0, error);
        Assert.Equal("", error);
        Assert.Equal("Running", WatchedNode.Row(output, "app:relay-service")[1]);
        Assert.Equal("app:relay", WatchedNode.Row(output, WatchedNode.Row(output, "app:relay-service")[3])[1]);

        node.Terminate();
        Assert.Equal(0, await node.WaitForExitAsync());
        Assert.False(File.Exists(InspectionPath.For(folder)));
    }

    [Theory]
    [InlineData(false, "error: no node to watch at {0} (start one with 'wisp run --inspect', or give --socket PATH)")]
    [InlineData(true, "error: no node answers at {0} (its node has stopped or is not responding)")]
    public async Task Top_once_without_a_node_prints_the_error_and_exits_1(bool staleSocket, string expected)
    {
        var path = WatchedNode.UniquePath(".sock");
        if (staleSocket) WatchedNode.LeaveStaleSocket(path);
        try
        {
            var (code, output, error) = await TopAsync("top", "--once", "--socket", path);
            Assert.Equal(1, code);
            Assert.Equal("", output);
            Assert.Equal(string.Format(expected, path) + Environment.NewLine, error);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_bad_interval_is_refused()
    {
        var (code, _, error) = await TopAsync("top", "--interval", "10ms");
        Assert.Equal(2, code);
        Assert.Contains("invalid --interval '10ms'", error);
    }

    private static async Task<(int Code, string Output, string Error)> TopAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await WispCommandLine.InvokeAsync(args, TextReader.Null, output, error).WaitAsync(WatchedNode.Deadline);
        return (code, output.ToString(), error.ToString());
    }
}
