using System.Net.Sockets;
using System.Text;

namespace Wisp.Hosting.Inspection;

/// <summary>
/// A connection to a node's inspection endpoint (<see cref="InspectionEndpoint"/>) that asks for snapshots. Every
/// failure is an <see cref="InspectionException"/> that says what happened in words: no socket, no node on it, the
/// node gone, or no answer within <see cref="Timeout"/>.
/// </summary>
public sealed class InspectionClient : IAsyncDisposable
{
    /// <summary>How long a connection or an answer may take before the node is taken for gone.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;

    private InspectionClient(string path, Socket socket)
    {
        Path = path;
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = new StreamReader(_stream, Encoding.UTF8);
    }

    /// <summary>The socket's path.</summary>
    public string Path { get; }

    public static async Task<InspectionClient> ConnectAsync(string path, CancellationToken cancellation = default)
    {
        path = System.IO.Path.GetFullPath(path);
        if (!File.Exists(path))
            throw new InspectionException($"no node to watch at {path} (start one with 'wisp run --inspect', or give --socket PATH)");
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            limit.CancelAfter(Timeout);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), limit.Token);
            return new InspectionClient(path, socket);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellation.IsCancellationRequested)
        {
            socket.Dispose();
            throw new InspectionException(e is SocketException { SocketErrorCode: SocketError.AccessDenied }
                ? $"not allowed to connect to {path} (the node belongs to another user)"
                : $"no node answers at {path} (its node has stopped or is not responding)", e);
        }
    }

    /// <summary>The node as it stands now.</summary>
    public async Task<NodeSnapshot> SnapshotAsync(CancellationToken cancellation = default) =>
        InspectionProtocol.ReadSnapshot(await RequestAsync(InspectionProtocol.SnapshotRequest, cancellation));

    /// <summary>Every node of the node's cluster, as it gathers them (the node alone when it is standalone).</summary>
    public async Task<ClusterView> ClusterAsync(CancellationToken cancellation = default) =>
        InspectionProtocol.ReadCluster(await RequestAsync(InspectionProtocol.ClusterRequest, cancellation));

    private async Task<string> RequestAsync(string request, CancellationToken cancellation)
    {
        string? line;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        limit.CancelAfter(Timeout);
        try
        {
            await _stream.WriteAsync(Encoding.UTF8.GetBytes(request + "\n"), limit.Token);
            line = await _reader.ReadLineAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            throw new InspectionException($"the node at {Path} did not answer within {Timeout.TotalSeconds:0} s");
        }
        catch (IOException e)
        {
            throw new InspectionException($"the node at {Path} went away", e);
        }
        return line ?? throw new InspectionException($"the node at {Path} went away");
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
