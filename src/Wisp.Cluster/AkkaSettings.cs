using System.Globalization;
using Akka.Actor;
using Akka.Configuration;

namespace Wisp.Cluster;

/// <summary>
/// The engine's configuration made from <see cref="ClusterOptions"/>: Akka.Remote on DotNetty TCP, Akka.Cluster with
/// the failure detector's tuning and Wisp's downing rule, Distributed Data, Akka's logs through the node's logger.
/// Values are quoted HOCON strings or numbers written here, never text a user gave as configuration.
/// Downing is Wisp's (<see cref="SurvivorDowning"/>). With a secret or a certificate the transport is TLS, and every
/// address (the node's and its seeds') has the protocol <c>akka.ssl.tcp</c>.
/// </summary>
internal static class AkkaSettings
{
    public const string SystemName = "wisp";
    public const string EndpointName = "wisp";
    public const string NodeRole = "wisp-node:";
    public const string CreationRole = "wisp-creation:";

    public static Address AddressOf(ClusterOptions options, string endpoint, string option)
    {
        var (host, port) = ClusterOptions.ParseEndpoint(endpoint, option);
        return new Address(UsesTls(options) ? "akka.ssl.tcp" : "akka.tcp", SystemName, host, port);
    }

    public static bool UsesTls(ClusterOptions options) => options.Secret is not null || options.CertificatePath is not null;

    public static Config Build(ClusterOptions options, uint creation)
    {
        var (host, port) = ClusterOptions.ParseEndpoint(options.Listen, "listen");
        var advertised = options.Advertise is { } advertise ? ClusterOptions.ParseEndpoint(advertise, "advertise") : (Host: host, Port: port);
        var seeds = string.Join(", ", options.Seeds.Select(s => Quote(AddressOf(options, s, "seeds").ToString())));
        var frame = options.MaxMessageBytes + (64 << 10);
        var text = $$"""
            wisp.downing.stable-after = {{Millis(options.DowningStableAfter)}}
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
                  public-hostname = {{Quote(advertised.Host)}}
                  public-port = {{advertised.Port}}
                  port = {{port}}
                  enable-ssl = {{(UsesTls(options) ? "on" : "off")}}
                  maximum-frame-size = {{frame}}b
                  send-buffer-size = {{Math.Max(frame, 256 << 10)}}b
                  receive-buffer-size = {{Math.Max(frame, 256 << 10)}}b
                  # One event loop per two cores (Akka's default is two loops whatever the machine): a node's traffic to
                  # a peer is one association, and on a small machine the idle loops only add wake-ups beside the
                  # node's own threads (docs/cluster.md).
                  server-socket-worker-pool { pool-size-min = 1, pool-size-factor = 0.5, pool-size-max = 2 }
                  client-socket-worker-pool { pool-size-min = 1, pool-size-factor = 0.5, pool-size-max = 2 }
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
                downing-provider-class = "Wisp.Cluster.SurvivorDowning, Wisp.Cluster"
                run-coordinated-shutdown-when-down = off
                # The proxy warns while the cluster forms, before any node runs the authority; a CONSISTENT register
                # that cannot reach it fails with its own error (ClusterNames.RegisterAsync).
                singleton-proxy.log-singleton-identification-failure = off
                distributed-data {
                  gossip-interval = 500ms
                  notify-subscribers-interval = 100ms
                }
              }
              coordinated-shutdown {
                exit-clr = off
                run-by-clr-shutdown-hook = off
                run-by-actor-system-terminate = off
              }
            }
            """;
        return ConfigurationFactory.ParseString(text);
    }

    private static string Millis(TimeSpan span) => ((long)span.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";

    /// <summary>A HOCON quoted string.</summary>
    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
