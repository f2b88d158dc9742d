using System.Net;
using System.Net.Sockets;

namespace Wisp.Cluster.Tests;

/// <summary>
/// A loopback TCP proxy in front of one node's port (the node advertises the proxy's), so that a test can cut the
/// connections between nodes, as a failed network does, and restore them: cut closes every connection and refuses new
/// ones until restored.
/// </summary>
internal sealed class TcpProxy : IAsyncDisposable
{
    private readonly int _target;
    private readonly List<TcpClient> _open = [];
    private TcpListener? _listener;
    private CancellationTokenSource _running = new();

    public TcpProxy(int port, int target)
    {
        Port = port;
        _target = target;
        Restore();
    }

    public int Port { get; }

    public void Restore()
    {
        _running = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        _ = Accept(_listener, _running.Token);
    }

    public void Cut()
    {
        _running.Cancel();
        _listener?.Stop();
        lock (_open)
        {
            foreach (var client in _open) client.Dispose();
            _open.Clear();
        }
    }

    private async Task Accept(TcpListener listener, CancellationToken cancel)
    {
        try
        {
            while (!cancel.IsCancellationRequested)
            {
                var inbound = await listener.AcceptTcpClientAsync(cancel);
                var outbound = new TcpClient();
                await outbound.ConnectAsync(IPAddress.Loopback, _target, cancel);
                lock (_open)
                {
                    _open.Add(inbound);
                    _open.Add(outbound);
                }
                _ = Pump(inbound, outbound, cancel);
                _ = Pump(outbound, inbound, cancel);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { }
    }

    private static async Task Pump(TcpClient from, TcpClient to, CancellationToken cancel)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream(), cancel);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or SocketException) { }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }

    public ValueTask DisposeAsync()
    {
        Cut();
        return ValueTask.CompletedTask;
    }
}
