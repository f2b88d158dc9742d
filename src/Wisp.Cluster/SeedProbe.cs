using System.Net.Sockets;

namespace Wisp.Cluster;

/// <summary>
/// Whether any seed other than this node accepts a TCP connection: what a node left alone in its cluster asks before it
/// starts a new engine to rejoin. A survivor whose lost peers are gone keeps its running one-node cluster (its new peers
/// can join it); once a seed listens again (a restarted node, a healed partition), the node rejoins through its seeds.
/// A plain connect, because the engine cannot ask: Akka quarantines a downed peer's address, so after a partition
/// neither side's old engine may talk to the other.
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
            using var client = new TcpClient();
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            attempt.CancelAfter(timeout);
            try
            {
                await client.ConnectAsync(host, port, attempt.Token);
                return true;
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellation.IsCancellationRequested)
            {
                // not listening, unreachable or too slow: try the next seed
            }
        }
        return false;
    }
}
