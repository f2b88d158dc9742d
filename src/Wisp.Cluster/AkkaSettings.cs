using System.Globalization;
using Akka.Actor;
using Akka.Configuration;

namespace Wisp.Cluster;

/// <summary>
/// The engine's configuration made from <see cref="ClusterOptions"/>: Akka.Remote on DotNetty TCP, Akka.Cluster with
/// the failure detector's tuning and Wisp's downing rule, Distributed Data, Akka's logs through the node's logger.
/// Values are quoted HOCON strings or numbers written here, never text a user gave as configuration.
/// Downing: each node downs the members it cannot reach once they have been unreachable for
/// <see cref="ClusterOptions.DowningStableAfter"/> (Akka's auto-downing), as Erlang nodes each drop a lost peer. A
/// survivor keeps running whatever the cluster's size (the split-brain resolver's strategies shut a lone survivor of a
/// 2-node cluster down, or all nodes: measured); the price is that the two sides of a partition become two clusters.
/// </summary>
internal static class AkkaSettings
{
    public const string SystemName = "wisp";
    public const string EndpointName = "wisp";
    public const string NodeRole = "wisp-node:";
    public const string CreationRole = "wisp-creation:";

    public static Address AddressOf(string endpoint, string option)
    {
        var (host, port) = ClusterOptions.ParseEndpoint(endpoint, option);
        return new Address("akka.tcp", SystemName, host, port);
    }

    public static Config Build(ClusterOptions options, uint creation)
    {
        var (host, port) = ClusterOptions.ParseEndpoint(options.Listen, "listen");
        var seeds = string.Join(", ", options.Seeds.Select(s => Quote(AddressOf(s, "seeds").ToString())));
        var frame = options.MaxMessageBytes + (64 << 10);
        var text = $$"""
            akka {
              loglevel = WARNING
              stdout-loglevel = OFF
              loggers = ["Wisp.Cluster.EngineLogger, Wisp.Cluster"]
              log-dead-letters = off
              log-dead-letters-during-shutdown = off
              actor.provider = cluster
              remote {
                log-remote-lifecycle-events = off
                dot-netty.tcp {
                  hostname = {{Quote(host)}}
                  public-hostname = {{Quote(options.PublicHost ?? host)}}
                  port = {{port}}
                  maximum-frame-size = {{frame}}b
                  send-buffer-size = {{Math.Max(frame, 256 << 10)}}b
                  receive-buffer-size = {{Math.Max(frame, 256 << 10)}}b
                }
              }
              cluster {
                seed-nodes = [{{seeds}}]
                roles = [{{Quote(NodeRole + options.NodeName)}}, {{Quote(CreationRole + creation.ToString(CultureInfo.InvariantCulture))}}]
                min-nr-of-members = 1
                log-info = off
                failure-detector {
                  heartbeat-interval = {{Millis(options.HeartbeatInterval)}}
                  acceptable-heartbeat-pause = {{Millis(options.AcceptableHeartbeatPause)}}
                  threshold = 8.0
                }
                unreachable-nodes-reaper-interval = {{Millis(TimeSpan.FromMilliseconds(Math.Min(1000, options.HeartbeatInterval.TotalMilliseconds)))}}
                downing-provider-class = "Akka.Cluster.AutoDowning, Akka.Cluster"
                auto-down-unreachable-after = {{Millis(options.DowningStableAfter)}}
                run-coordinated-shutdown-when-down = off
                distributed-data {
                  gossip-interval = 500ms
                  notify-subscribers-interval = 100ms
                }
              }
              coordinated-shutdown {
                exit-clr = off
                run-by-clr-shutdown-hook = off
              }
            }
            """;
        return ConfigurationFactory.ParseString(text);
    }

    private static string Millis(TimeSpan span) => ((long)span.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";

    /// <summary>A HOCON quoted string.</summary>
    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
