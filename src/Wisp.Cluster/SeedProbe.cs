using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Wisp.Cluster;

/// <summary>
/// Whether any seed other than this node accepts a TCP connection: what a node left alone in its cluster asks before it
/// starts a new engine to rejoin. A survivor whose lost peers are gone keeps its running one-node cluster (its new peers
/// can join it); once a seed listens again (a restarted node, a healed partition), the node rejoins through its seeds.
/// A plain connect, because the engine cannot ask: Akka quarantines a downed peer's address, so after a partition
/// neither side's old engine may talk to the other. The node's own address among its seeds never counts: written as
/// its listen or advertised address, or as any address of this machine on the port it listens on.
/// </summary>
internal static class SeedProbe
{
    public static async Task<bool> AnyAnswersAsync(ClusterOptions options, TimeSpan timeout, CancellationToken cancellation)
    {
        var self = new[] { options.Listen, options.Advertise }.OfType<string>().Select(e => ClusterOptions.ParseEndpoint(e, "listen")).ToList();
        foreach (var seed in options.Seeds)
        {
            var (host, port) = ClusterOptions.ParseEndpoint(seed, "seeds");
            if (self.Any(s => s.Port == port && string.Equals(s.Host, host, StringComparison.OrdinalIgnoreCase))) continue;
            if (self.Any(s => s.Port == port) && await IsThisMachineAsync(host, cancellation)) continue;
            using var client = new TcpClient();
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            attempt.CancelAfter(timeout);
            try
            {
                await client.ConnectAsync(host, port, attempt.Token);
                return true;
            }
            catch (Exception e) when (e is SocketException || (e is OperationCanceledException && !cancellation.IsCancellationRequested))
            {
                // not listening, unreachable or too slow: try the next seed
            }
        }
        return false;
    }

    /// <summary>Whether <paramref name="host"/> names this machine: a loopback address or one of its interfaces' (false if it does not resolve).</summary>
    private static async Task<bool> IsThisMachineAsync(string host, CancellationToken cancellation)
    {
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellation);
        }
        catch (SocketException)
        {
            return false;
        }
        var local = NetworkInterface.GetAllNetworkInterfaces().SelectMany(i => i.GetIPProperties().UnicastAddresses).Select(u => u.Address).ToHashSet();
        return addresses.Length > 0 && addresses.All(a => IPAddress.IsLoopback(a) || local.Contains(a));
    }
}
