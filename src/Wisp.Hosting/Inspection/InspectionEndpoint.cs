using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Wisp.Hosting.Inspection;

/// <summary>
/// The node's inspection endpoint (<c>wisp run --inspect</c>): a Unix domain socket at <paramref name="path"/>, owner-only
/// (0600, in a 0700 folder), answering <see cref="InspectionProtocol"/> with the runtime's <see cref="NodeSnapshot"/>.
/// Opened when the runtime starts, before its services; closed and its file removed when the runtime stops. A socket
/// file left by a node that died is replaced; one a live node answers on is an Unavailable error. On a cluster,
/// <paramref name="peers"/> names the other nodes whose <see cref="InspectionResponder"/> a cluster request asks.
/// </summary>
public sealed class InspectionEndpoint(string path, Func<IReadOnlyList<string>>? peers = null) : INodeExtension
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private Socket? _listener;
    private Task _accepting = Task.CompletedTask;

    /// <summary>The socket's full path.</summary>
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public async Task StartAsync(WispRuntime runtime, CancellationToken cancellation)
    {
        var logger = runtime.Node.LoggerFactory.CreateLogger("wisp.inspect");
        NodeSnapshot Snapshot() => NodeSnapshot.Take(runtime);
        var source = new InspectionProtocol.Source(Snapshot, () => ClusterGather.GatherAsync(runtime.Node, Snapshot(), peers?.Invoke() ?? []));
        try
        {
            InspectionPath.PrepareFolder(Path);
            if (File.Exists(Path)) await RemoveStale();
            var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                listener.Bind(new UnixDomainSocketEndPoint(Path));
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                listener.Listen(16);
            }
            catch
            {
                listener.Dispose();
                throw;
            }
            _listener = listener;
        }
        catch (Exception e) when (e is SocketException or IOException or UnauthorizedAccessException)
        {
            throw new WispException(ErrorKind.Unavailable, $"--inspect: cannot open {Path}: {e.Message}");
        }
        logger.LogInformation("inspection endpoint at {path}", Path);
        _accepting = AcceptAsync(_listener, source, logger);
    }

    /// <summary>Removes a socket file no node answers on; a live node's is an error.</summary>
    private async Task RemoveStale()
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await probe.ConnectAsync(new UnixDomainSocketEndPoint(Path));
        }
        catch (SocketException)
        {
            File.Delete(Path);
            return;
        }
        throw new WispException(ErrorKind.Unavailable, $"--inspect: a node already answers at {Path} (give another path: --inspect PATH)");
    }

    private async Task AcceptAsync(Socket listener, InspectionProtocol.Source source, ILogger logger)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            lock (_connections)
            {
                _connections.RemoveAll(t => t.IsCompleted);
                _connections.Add(ServeAsync(client, source, logger));
            }
        }
    }

    private async Task ServeAsync(Socket client, InspectionProtocol.Source source, ILogger logger)
    {
        await Task.Yield();   // the accept loop goes on while this connection is served
        await using var stream = new NetworkStream(client, ownsSocket: true);
        try
        {
            await InspectionProtocol.ServeAsync(stream, source, _stop.Token);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            logger.LogDebug("inspection client gone: {error}", e.Message);   // a client that hangs up mid-answer
        }
    }

    public async ValueTask StopAsync()
    {
        _stop.Cancel();
        _listener?.Dispose();
        await _accepting;
        Task[] open;
        lock (_connections) open = [.. _connections];
        await Task.WhenAll(open);   // the listener's Dispose has removed the socket file it bound
        _stop.Dispose();
    }
}
