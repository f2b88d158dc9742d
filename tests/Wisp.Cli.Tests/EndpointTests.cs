using System.Net.Sockets;
using System.Text;
using Wisp.Hosting.Inspection;

namespace Wisp.Cli.Tests;

/// <summary>The inspection endpoint: owner-only, one per path, removed at stop, and a bad request is answered, not obeyed.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]   // Unix file modes
public sealed class EndpointTests
{
    [Fact]
    public async Task The_socket_is_owner_only_refuses_a_second_node_and_is_removed_at_stop()
    {
        await using var node = await WatchedNode.StartAsync();
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(node.SocketPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
            File.GetUnixFileMode(Path.GetDirectoryName(node.SocketPath)!));

        var second = await Assert.ThrowsAsync<WispException>(() => new InspectionEndpoint(node.SocketPath).StartAsync(node.Runtime, default));
        Assert.Equal(ErrorKind.Unavailable, second.Kind);
        Assert.Contains("a node already answers at", second.Message);
        await node.WaitForAsync(s => s.Services.Count == 1, "the first node still answering");

        await node.Runtime.ShutdownAsync();
        Assert.False(File.Exists(node.SocketPath));
    }

    [Fact]
    public async Task A_socket_left_by_a_node_that_died_is_replaced()
    {
        var folder = WatchedNode.UniquePath();
        WatchedNode.LeaveStaleSocket(InspectionPath.For(folder));
        await using var runtime = Hosting.WispRuntime.Load(new Hosting.WispRuntimeOptions
        {
            Extensions = [new InspectionEndpoint(InspectionPath.For(folder))],
        });
        await runtime.StartAsync();
        await using var client = await InspectionClient.ConnectAsync(InspectionPath.For(folder));
        Assert.Empty((await client.SnapshotAsync()).Services);
    }

    public static readonly TheoryData<string, string> BadRequests = new()
    {
        { "hello", "bad request: not a JSON object" },
        { "[1,2]", "bad request: not a JSON object" },
        { """{"get":"everything"}""", """bad request: expected {"get":"snapshot"} or {"get":"cluster"}""" },
        { "{}", """bad request: expected {"get":"snapshot"} or {"get":"cluster"}""" },
        { "", "bad request: an empty line" },
        { new string('x', 3 * InspectionProtocol.MaxRequestBytes), "bad request: longer than 4096 bytes" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_bad_request_is_answered_with_an_error_and_the_connection_still_serves(string request, string error)
    {
        await using var node = await WatchedNode.StartAsync();
        using var connection = await ConnectAsync(node.SocketPath);
        using var reader = new StreamReader(connection);

        await SendAsync(connection, request);
        var answer = await reader.ReadLineAsync().WaitAsync(WatchedNode.Deadline);
        Assert.Equal(error, Assert.Throws<InspectionException>(() => InspectionProtocol.ReadSnapshot(answer!)).Message
            .Replace("the endpoint refused the request: ", ""));

        await SendAsync(connection, InspectionProtocol.SnapshotRequest);
        var snapshot = InspectionProtocol.ReadSnapshot((await reader.ReadLineAsync().WaitAsync(WatchedNode.Deadline))!);
        Assert.Equal("app:relay-service", Assert.Single(snapshot.Services).Id);

        await SendAsync(connection, InspectionProtocol.ClusterRequest);   // a standalone node's cluster is itself
        var view = InspectionProtocol.ReadCluster((await reader.ReadLineAsync().WaitAsync(WatchedNode.Deadline))!);
        Assert.Equal("app:relay-service", Assert.Single(Assert.Single(view.Nodes).Services).Id);
        Assert.Empty(view.Missing);
    }

    private static async Task<NetworkStream> ConnectAsync(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path));
        return new NetworkStream(socket, ownsSocket: true);
    }

    private static async Task SendAsync(Stream connection, string line) =>
        await connection.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"));
}
