using Wisp.Hosting;
using Wisp.Hosting.Entries;

namespace Wisp.Tests.Entries;

/// <summary>Entry overrides (<c>-o ns:entry:field=value</c>) and the node configuration file's <c>cluster:</c> section.</summary>
public class EntryOverrideTests
{
    private const string Services = """
        namespace: app
        entries:
          - name: processes
            kind: process.host
          - name: worker
            kind: process.dotnet
            type: App.Worker
          - name: relay-service
            kind: process.service
            process: app:worker
            host: app:processes
            lifecycle:
              auto_start: true
        """;

    [Fact]
    public void An_override_sets_a_field_as_the_file_would_and_makes_missing_mappings()
    {
        var entries = EntryLoader.LoadText("src/_index.yaml", Services,
            EntryOverride.Parse("app:relay-service:lifecycle.auto_start=false"),
            EntryOverride.Parse("app:relay-service:lifecycle.restart.max_attempts=3"));
        var service = Assert.IsType<ProcessServiceEntry>(entries.Find(new EntryId("app", "relay-service")));
        Assert.False(service.Lifecycle.AutoStart);
        Assert.Equal(3, service.Lifecycle.Restart.MaxAttempts);
    }

    [Theory]
    [InlineData("app:relay-service", "expected ns:entry:field=value")]
    [InlineData("relay-service:lifecycle=1", "'relay-service' is not an entry id")]
    [InlineData("app:relay-service:lifecycle..x=1", "is not a field path")]
    public void A_malformed_override_is_an_invalid_error_that_quotes_it(string text, string why)
    {
        var e = Assert.Throws<WispException>(() => EntryOverride.Parse(text));
        Assert.Equal(ErrorKind.Invalid, e.Kind);
        Assert.StartsWith($"override -o {text}: ", e.Message);
        Assert.Contains(why, e.Message);
    }

    [Fact]
    public void An_override_of_no_entry_or_through_a_value_is_refused()
    {
        var missing = Assert.Throws<WispException>(() => EntryLoader.LoadText("src/_index.yaml", Services, EntryOverride.Parse("app:nope:x=1")));
        Assert.Equal("override -o app:nope:x=1: entry not found: app:nope", missing.Message);
        var through = Assert.Throws<WispException>(() =>
            EntryLoader.LoadText("src/_index.yaml", Services, EntryOverride.Parse("app:relay-service:host.x=1")));
        Assert.Contains("'host' of app:relay-service is not a mapping", through.Message);
        var badValue = Assert.Throws<EntryLoadException>(() =>
            EntryLoader.LoadText("src/_index.yaml", Services, EntryOverride.Parse("app:relay-service:lifecycle.auto_start=maybe")));
        Assert.Contains("expected true or false", badValue.Message);
    }

    [Fact]
    public void The_cluster_section_is_read_with_the_references_keys_too()
    {
        using var dir = new TempFolder();
        dir.Write("keys/cluster.key", "  a shared secret of the cluster\n");
        var path = dir.Write(".wippy.yaml", """
            logger: {level: info}
            cluster:
              enabled: true
              name: node-1
              membership:
                join_addrs: "10.0.0.1:7946, 10.0.0.2:7946"
                bind_port: 7946
                secret_file: keys/cluster.key
              raft: {bootstrap_expect: 3}
              default_scope: eventual
              failure_detector: {heartbeat_interval: 1s}
            """);
        Assert.Equal(path, NodeConfigFile.Find(dir.Path));
        var cluster = NodeConfigFile.Read(path).Cluster!;
        Assert.True(cluster.Enabled);
        Assert.Equal("node-1", cluster.Name);
        Assert.Equal("0.0.0.0:7946", cluster.Listen);
        Assert.Equal(["10.0.0.1:7946", "10.0.0.2:7946"], cluster.Seeds);
        Assert.Equal(RegistryScope.Eventual, cluster.DefaultScope);
        Assert.Equal("a shared secret of the cluster", cluster.Secret);
        Assert.Equal(TimeSpan.FromSeconds(1), cluster.HeartbeatInterval);
        Assert.Null(cluster.AcceptableHeartbeatPause);
    }

    [Theory]
    [InlineData("cluster:\n  enabled: true\n  nmae: a\n", 3, "cluster.nmae", "unknown key 'nmae'")]
    [InlineData("cluster:\n  default_scope: wide\n", 2, "cluster.default_scope", "'wide' is not a registry scope")]
    [InlineData("cluster:\n  membership:\n    secret_file: missing.key\n", 3, "cluster.membership.secret_file", "no such file")]
    [InlineData("cluster:\n  failure_detector: {heartbeat_interval: soon}\n", 2, "cluster.failure_detector.heartbeat_interval", "duration")]
    public void A_bad_cluster_section_names_the_file_line_and_key(string yaml, int line, string key, string why)
    {
        using var dir = new TempFolder();
        var path = dir.Write(".wisp.yaml", yaml);
        var e = Assert.Throws<EntryLoadException>(() => NodeConfigFile.Read(path));
        Assert.Equal((path, line, key), (e.File, e.Line, e.Key));
        Assert.Contains(why, e.Message);
    }
}
