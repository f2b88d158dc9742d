using Wisp.Hosting.Entries;

namespace Wisp.Tests.Entries;

public class EntryLoaderTests
{
    private const string SeedIndex = """
        version: "1.0"
        namespace: app
        entries:
          - name: terminal
            kind: terminal.host
            lifecycle:
              auto_start: true
          - name: processes
            kind: process.host
            lifecycle:
              auto_start: true
          - name: cli
            kind: process.lua
            source: file://cli.lua
            method: main
            modules: [io, process, time, channel]
          - name: relay-service
            kind: process.service
            process: app:relay
            host: app:processes
            lifecycle:
              auto_start: true
          - name: relay
            kind: process.dotnet
            type: EchoService.Relay
            method: Main
        """;

    [Fact]
    public void Loads_the_seed_index()
    {
        using var dir = new TempFolder();
        var file = dir.Write("src/_index.yaml", SeedIndex);

        var set = EntryLoader.LoadDirectory(Path.Combine(dir.Path, "src"));

        Assert.Equal(
            ["app:terminal", "app:processes", "app:cli", "app:relay-service", "app:relay"],
            set.All.Select(e => e.Id.ToString()));

        Assert.True(set.TryGet<TerminalHostEntry>(EntryId.Parse("app:terminal"), out var terminal));
        Assert.Equal("terminal.host", terminal.Kind);
        Assert.True(terminal.Lifecycle.AutoStart);
        Assert.False(terminal.HideLogs);
        Assert.Equal(new SourceLocation(file, 4, 5), terminal.Location);

        Assert.True(set.TryGet<ProcessHostEntry>(new EntryId("app", "processes"), out var host));
        Assert.True(host.Lifecycle.AutoStart);
        Assert.Null(host.Workers);
        Assert.Null(host.MailboxLimit);

        Assert.True(set.TryGet<LuaEntry>(new EntryId("app", "cli"), out var cli));
        Assert.Equal("file://cli.lua", cli.Source);
        Assert.Equal(Path.Combine(dir.Path, "src", "cli.lua"), cli.SourcePath);
        Assert.Equal("main", cli.Method);
        Assert.Equal(["io", "process", "time", "channel"], cli.Modules);
        Assert.Empty(cli.Imports);

        Assert.True(set.TryGet<ProcessServiceEntry>(new EntryId("app", "relay-service"), out var service));
        Assert.Equal(new EntryId("app", "relay"), service.Process);
        Assert.Equal(new EntryId("app", "processes"), service.Host);
        Assert.Empty(service.Input);
        Assert.True(service.Lifecycle.AutoStart);

        Assert.True(set.TryGet<DotnetProcessEntry>(new EntryId("app", "relay"), out var relay));
        Assert.Equal("EchoService.Relay", relay.Type);
        Assert.Equal("Main", relay.Method);

        Assert.False(set.TryGet<ProcessHostEntry>(new EntryId("app", "relay"), out _));
        Assert.Null(set.Find(new EntryId("app", "missing")));
        Assert.Single(set.OfType<ProcessServiceEntry>());
    }

    [Fact]
    public void Applies_defaults()
    {
        var set = EntryLoader.LoadText("defaults.yaml", """
            namespace: app
            entries:
              - name: host
                kind: process.host
              - name: proc
                kind: process.dotnet
                type: App.Proc
              - name: lua
                kind: process.lua
                source: file://x.lua
              - name: svc
                kind: process.service
                process: proc
                host: host
                lifecycle:
                  restart: {}
            """);

        var host = Assert.IsType<ProcessHostEntry>(set.Find(new EntryId("app", "host")));
        Assert.Same(Lifecycle.Default, host.Lifecycle);
        Assert.Empty(host.Meta);
        Assert.Equal("Main", Assert.IsType<DotnetProcessEntry>(set.Find(new EntryId("app", "proc"))).Method);
        var lua = Assert.IsType<LuaEntry>(set.Find(new EntryId("app", "lua")));
        Assert.Equal("main", lua.Method);
        Assert.Empty(lua.Modules);

        var lifecycle = Assert.IsType<ProcessServiceEntry>(set.Find(new EntryId("app", "svc"))).Lifecycle;
        Assert.False(lifecycle.AutoStart);
        Assert.False(lifecycle.Optional);
        Assert.Equal(TimeSpan.FromSeconds(10), lifecycle.StartTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), lifecycle.StopTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), lifecycle.StableThreshold);
        Assert.Empty(lifecycle.Requires);
        Assert.Equal(new RestartPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(90), 2.0, 0.1, 0), lifecycle.Restart);
        Assert.Equal(RestartPolicy.Default, lifecycle.Restart);
    }

    [Fact]
    public void Reads_every_field()
    {
        using var dir = new TempFolder();
        var file = dir.Write("src/all.yaml", """
            namespace: my.app-1
            entries:
              - name: host
                kind: process.host
                host: {workers: 8, mailbox_limit: 1000, memory_limit: 64MiB, queue_size: 4096, local_queue_size: 256}
              - name: flat-host
                kind: process.host
                workers: 2
                mailbox_limit: 10
                memory_limit: 1048576
              - name: term
                kind: terminal.host
                hide_logs: true
              - name: svc
                kind: process.service
                meta: {comment: relays, tags: [a, "1", 1, 2.5, true, null], nested: {k: v}}
                process: my.app-1:proc
                host: term
                input: [hello, 42, {a: [1, 2]}]
                lifecycle:
                  auto_start: true
                  startup: optional
                  start_timeout: 1m30s
                  stop_timeout: 500ms
                  stable_threshold: 0s
                  requires: [host, other.ns:thing]
                  restart:
                    initial_delay: 100ms
                    max_delay: 1m
                    backoff_factor: 1.5
                    jitter: 0
                    max_attempts: 3
              - name: proc
                kind: process.lua
                source: file://lib/proc.lua
                method: run
                imports: {util: other.ns:thing, self: proc}
            """);
        dir.Write("src/other/thing.yml", """
            namespace: other.ns
            name: thing
            kind: process.dotnet
            type: Other.Thing, Other
            """);

        var set = EntryLoader.LoadDirectory(Path.Combine(dir.Path, "src"));

        Assert.Equal(6, set.All.Count);
        Assert.Equal("other.ns:thing", set.All[^1].Id.ToString());   // src/all.yaml sorts before src/other/
        var host = Assert.IsType<ProcessHostEntry>(set.Find(EntryId.Parse("my.app-1:host")));
        Assert.Equal((8, 1000, 64L << 20), (host.Workers, host.MailboxLimit, host.MemoryLimit));
        var flat = Assert.IsType<ProcessHostEntry>(set.Find(EntryId.Parse("my.app-1:flat-host")));
        Assert.Equal((2, 10, 1L << 20), (flat.Workers, flat.MailboxLimit, flat.MemoryLimit));
        Assert.True(Assert.IsType<TerminalHostEntry>(set.Find(EntryId.Parse("my.app-1:term"))).HideLogs);

        var svc = Assert.IsType<ProcessServiceEntry>(set.Find(EntryId.Parse("my.app-1:svc")));
        Assert.Equal("relays", svc.Meta["comment"]);
        Assert.Equal(["a", "1", 1L, 2.5, true, null], Assert.IsAssignableFrom<IReadOnlyList<object?>>(svc.Meta["tags"]));
        Assert.Equal("v", Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(svc.Meta["nested"])["k"]);
        Assert.Equal(EntryId.Parse("my.app-1:term"), svc.Host);
        Assert.Equal("hello", svc.Input[0]);
        Assert.Equal(42L, svc.Input[1]);
        var a = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(svc.Input[2])["a"];
        Assert.Equal([1L, 2L], Assert.IsAssignableFrom<IReadOnlyList<object?>>(a));

        var lifecycle = svc.Lifecycle;
        Assert.True(lifecycle.AutoStart);
        Assert.True(lifecycle.Optional);
        Assert.Equal(TimeSpan.FromSeconds(90), lifecycle.StartTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(500), lifecycle.StopTimeout);
        Assert.Equal(TimeSpan.Zero, lifecycle.StableThreshold);
        Assert.Equal([EntryId.Parse("my.app-1:host"), EntryId.Parse("other.ns:thing")], lifecycle.Requires);
        Assert.Equal(new RestartPolicy(TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1), 1.5, 0, 3), lifecycle.Restart);

        var proc = Assert.IsType<LuaEntry>(set.Find(EntryId.Parse("my.app-1:proc")));
        Assert.Equal(Path.Combine(Path.GetDirectoryName(file)!, "lib", "proc.lua"), proc.SourcePath);
        Assert.Equal("run", proc.Method);
        Assert.Equal(EntryId.Parse("other.ns:thing"), proc.Imports["util"]);
        Assert.Equal(EntryId.Parse("my.app-1:proc"), proc.Imports["self"]);

        Assert.Equal("Other.Thing, Other", Assert.IsType<DotnetProcessEntry>(set.All[^1]).Type);
    }

    [Fact]
    public void Loads_function_and_library_entries()
    {
        var set = EntryLoader.LoadText("src/_index.yaml", """
            namespace: app
            entries:
              - name: get_user
                kind: function.lua
                source: file://users.lua
                method: get
                pool: {type: lazy, max_size: 4}
                imports: {helpers: app.lib:helpers}
              - name: helpers
                kind: library.lua
                source: file://helpers.lua
                modules: [json]
            """);

        var function = Assert.IsType<LuaEntry>(set.Find(EntryId.Parse("app:get_user")));
        Assert.Equal((LuaEntry.FunctionKind, "get", true), (function.Kind, function.Method, function.Runs));
        Assert.Equal(EntryId.Parse("app.lib:helpers"), function.Imports["helpers"]);
        var library = Assert.IsType<LuaEntry>(set.Find(EntryId.Parse("app:helpers")));
        Assert.Equal((LuaEntry.LibraryKind, false), (library.Kind, library.Runs));
        Assert.Equal(["json"], library.Modules);
    }

    [Fact]
    public void Loads_a_file_holding_a_single_top_level_entry()
    {
        var set = EntryLoader.LoadText("single.yaml", """
            version: "1.0"
            namespace: app
            name: relay
            kind: process.dotnet
            type: EchoService.Relay
            meta:
              owner: me
            """);

        var relay = Assert.IsType<DotnetProcessEntry>(Assert.Single(set.All));
        Assert.Equal(new EntryId("app", "relay"), relay.Id);
        Assert.Equal("EchoService.Relay", relay.Type);
        Assert.Equal("me", relay.Meta["owner"]);
        Assert.Equal(new SourceLocation("single.yaml", 3, 1), relay.Location);
    }

    [Fact]
    public void Resolves_short_names_in_the_file_namespace()
    {
        var set = EntryLoader.LoadText("short.yaml", """
            namespace: app.sub
            entries:
              - {name: host, kind: process.host}
              - {name: relay, kind: process.dotnet, type: T}
              - name: svc
                kind: process.service
                process: relay
                host: app.sub:host
                lifecycle: {requires: [host]}
            """);

        var svc = Assert.IsType<ProcessServiceEntry>(set.Find(new EntryId("app.sub", "svc")));
        Assert.Equal(new EntryId("app.sub", "relay"), svc.Process);
        Assert.Equal(new EntryId("app.sub", "host"), svc.Host);
        Assert.Equal([new EntryId("app.sub", "host")], svc.Lifecycle.Requires);
    }

    [Fact]
    public void Accepts_depends_on_as_the_legacy_name_of_requires()
    {
        var set = EntryLoader.LoadText("legacy.yaml", """
            namespace: app
            entries:
              - {name: a, kind: process.host}
              - name: b
                kind: process.host
                lifecycle:
                  depends_on: [a]
            """);

        var b = Assert.IsType<ProcessHostEntry>(set.Find(new EntryId("app", "b")));
        Assert.Equal([new EntryId("app", "a")], b.Lifecycle.Requires);
    }

    [Fact]
    public void Scans_yaml_and_yml_files_recursively_in_ordinal_order()
    {
        using var dir = new TempFolder();
        dir.Write("b.yaml", "namespace: app\nname: b\nkind: process.host\n");
        dir.Write("a/z.yml", "namespace: app\nname: z\nkind: process.host\n");
        dir.Write("B.yaml", "namespace: app\nname: upper-b\nkind: process.host\n");
        dir.Write("notes.txt", "not: an entry file");

        var set = EntryLoader.LoadDirectory(dir.Path);

        Assert.Equal(["upper-b", "z", "b"], set.All.Select(e => e.Id.Name));
    }

    [Fact]
    public void Entry_ids_parse_and_print_as_namespace_colon_name()
    {
        Assert.Equal(new EntryId("a.b-c", "d.e_f"), EntryId.Parse("a.b-c:d.e_f"));
        Assert.Equal("a.b-c:d.e_f", new EntryId("a.b-c", "d.e_f").ToString());
        Assert.False(EntryId.TryParse("no-colon", out _));
        Assert.False(EntryId.TryParse("a..b:c", out _));
        Assert.False(EntryId.TryParse("a:b:c", out _));
        Assert.False(EntryId.TryParse("a: b", out _));
        Assert.Throws<FormatException>(() => EntryId.Parse(":b"));
        Assert.Equal("f.yaml:3:7", new SourceLocation("f.yaml", 3, 7).ToString());
    }
}
