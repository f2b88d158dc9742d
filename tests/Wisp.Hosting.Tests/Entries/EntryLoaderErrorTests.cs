using Wisp.Hosting.Entries;

namespace Wisp.Tests.Entries;

public class EntryLoaderErrorTests
{
    private static EntryLoadException LoadError(string yaml) =>
        Assert.Throws<EntryLoadException>(() => EntryLoader.LoadText("src/_index.yaml", yaml));

    private static void AssertAt(EntryLoadException error, int line, int column, string? key, string? entry)
    {
        Assert.Equal("src/_index.yaml", error.File);
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Equal(key, error.Key);
        Assert.Equal(entry, error.Entry);
        Assert.StartsWith($"src/_index.yaml:{line}:{column}: ", error.Message);
        if (key is not null) Assert.Contains($"key '{key}'", error.Message);
        if (entry is not null) Assert.Contains($"entry '{entry}'", error.Message);
    }

    [Fact]
    public void Empty_type_and_method()
    {
        var error = LoadError("""
            namespace: app
            entries:
              - name: x
                kind: process.dotnet
                type: ""
            """);
        AssertAt(error, 5, 11, "type", "app:x");
        Assert.Contains("must not be empty", error.Message);

        error = LoadError("""
            namespace: app
            entries:
              - name: x
                kind: process.dotnet
                type: A.B
                method: " "
            """);
        AssertAt(error, 6, 13, "method", "app:x");
    }

    [Fact]
    public void A_library_has_no_method()
    {
        var error = LoadError("""
            namespace: app
            entries:
              - name: lib
                kind: library.lua
                source: file://lib.lua
                method: main
            """);
        AssertAt(error, 6, 5, "method", "app:lib");
        Assert.Contains("unknown key 'method'", error.Message);
    }

    [Fact]
    public void Unknown_kind()
    {
        var error = LoadError("""
            namespace: app
            entries:
              - name: x
                kind: process.pyhton
            """);

        AssertAt(error, 4, 11, "kind", "app:x");
        Assert.Contains("unknown kind 'process.pyhton'", error.Message);
        Assert.Contains("process.host", error.Message);   // the known kinds are listed
    }

    [Fact]
    public void Unknown_key()
    {
        var error = LoadError("""
            namespace: app
            entries:
              - name: x
                kind: process.host
                lifecycle:
                  auto_strat: true
            """);

        AssertAt(error, 6, 7, "lifecycle.auto_strat", "app:x");
        Assert.Contains("unknown key 'auto_strat'", error.Message);
        Assert.Contains("auto_start", error.Message);
    }

    [Fact]
    public void Unknown_key_for_the_kind()
    {
        var error = LoadError("""
            namespace: app
            entries:
              - name: x
                kind: process.dotnet
                type: T
                source: file://x.lua
            """);

        AssertAt(error, 6, 5, "source", "app:x");
        Assert.Contains("for kind 'process.dotnet'", error.Message);
    }

    [Fact]
    public void Unknown_top_level_key()
    {
        var error = LoadError("""
            namespace: app
            entries: []
            entires: []
            """);

        AssertAt(error, 3, 1, "entires", null);
    }

    [Fact]
    public void Missing_name()
    {
        var error = LoadError("""
            namespace: app
            entries:
              - name: ok
                kind: process.host
              - kind: process.host
                lifecycle: {}
            """);

        AssertAt(error, 5, 5, "name", "entries[1]");
        Assert.Contains("missing required key 'name'", error.Message);
    }

    [Fact]
    public void Invalid_name()
    {
        var error = LoadError("""
            namespace: app
            entries:
              - name: "my relay"
                kind: process.host
            """);

        AssertAt(error, 3, 11, "name", "entries[0]");
        Assert.Contains("invalid name 'my relay'", error.Message);
    }

    [Fact]
    public void Bad_duration()
    {
        var error = LoadError("""
            namespace: app
            entries:
              - name: relay-service
                kind: process.service
                process: app:relay-service
                host: app:relay-service
                lifecycle:
                  start_timeout: ten seconds
            """);

        AssertAt(error, 8, 22, "lifecycle.start_timeout", "app:relay-service");
        Assert.Equal(
            "src/_index.yaml:8:22: key 'lifecycle.start_timeout' of entry 'app:relay-service': "
            + "invalid duration 'ten seconds' (expected e.g. 500ms, 10s, 1m30s)",
            error.Message);
    }

    [Theory]
    [InlineData("workers: 0", "workers", "must be at least 1")]
    [InlineData("workers: many", "workers", "expected an integer, got 'many'")]
    [InlineData("workers: 1.5", "workers", "expected an integer")]
    [InlineData("host: {workers: -2}", "host.workers", "must be at least 1")]
    [InlineData("host: {mailbox_limit: \"10\"}", "host.mailbox_limit", "expected an integer")]
    [InlineData("host: {workerz: 2}", "host.workerz", "unknown key 'workerz'")]
    [InlineData("mailbox_limit: 99999999999", "mailbox_limit", "expected an integer")]
    [InlineData("memory_limit: 12 parsecs", "memory_limit", "invalid size '12 parsecs'")]
    [InlineData("memory_limit: 0", "memory_limit", "must be at least 1 byte")]
    [InlineData("host: {memory_limit: -5MB}", "host.memory_limit", "invalid size '-5MB'")]
    public void Bad_workers_mailbox_or_memory_limit(string line, string key, string reason)
    {
        var error = LoadError($"""
            namespace: app
            entries:
              - name: pool
                kind: process.host
                {line}
            """);

        Assert.Equal(5, error.Line);
        AssertAt(error, 5, error.Column, key, "app:pool");
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void A_missing_assembly_is_refused_at_load()
    {
        var error = LoadError("""
            namespace: app
            entries:
              - name: relay
                kind: process.dotnet
                type: EchoService.Relay
                assembly: bin/NoSuch.dll
            """);
        AssertAt(error, 6, 15, "assembly", "app:relay");
        Assert.Contains($"assembly not found: {Path.GetFullPath(Path.Combine("src", "bin", "NoSuch.dll"))}", error.Message);
    }

    [Fact]
    public void Workers_set_twice()
    {
        var error = LoadError("""
            namespace: app
            entries:
              - name: pool
                kind: process.host
                host: {workers: 2}
                workers: 4
            """);

        AssertAt(error, 6, 5, "workers", "app:pool");
    }

    [Theory]
    [InlineData("auto_start: yes", "lifecycle.auto_start", "expected true or false, got 'yes'")]
    [InlineData("startup: sometimes", "lifecycle.startup", "invalid startup 'sometimes'")]
    [InlineData("stop_timeout: 0s", "lifecycle.stop_timeout", "duration must be positive")]
    [InlineData("stable_threshold: -1s", "lifecycle.stable_threshold", "duration must be zero or more")]
    [InlineData("restart: {jitter: 1.5}", "lifecycle.restart.jitter", "must be between 0 and 1")]
    [InlineData("restart: {backoff_factor: 0.5}", "lifecycle.restart.backoff_factor", "must be at least 1")]
    [InlineData("restart: {max_attempts: -1}", "lifecycle.restart.max_attempts", "must be at least 0")]
    [InlineData("restart: {initial_delay: 2m}", "lifecycle.restart.initial_delay", "is less than initial_delay")]
    [InlineData("restart: {max_delay: 1s, initial_delay: 2s}", "lifecycle.restart.max_delay", "is less than initial_delay")]
    [InlineData("restart: 3", "lifecycle.restart", "expected a mapping, got '3'")]
    [InlineData("requires: app:pool", "lifecycle.requires", "expected a sequence")]
    [InlineData("requires: [\"a b\"]", "lifecycle.requires[0]", "invalid reference 'a b'")]
    public void Bad_lifecycle_values(string line, string key, string reason)
    {
        var error = LoadError($"""
            namespace: app
            entries:
              - name: pool
                kind: process.host
                lifecycle:
                  {line}
            """);

        Assert.Equal(6, error.Line);
        AssertAt(error, 6, error.Column, key, "app:pool");
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Requires_and_depends_on_together()
    {
        var error = LoadError("""
            namespace: app
            entries:
              - name: pool
                kind: process.host
                lifecycle:
                  requires: []
                  depends_on: []
            """);

        AssertAt(error, 7, 7, "lifecycle.depends_on", "app:pool");
    }

    [Fact]
    public void Bad_meta_is_still_reported()
    {
        var error = LoadError("""
            namespace: app
            entries:
              - name: pool
                kind: process.host
                meta: [not, a, map]
            """);

        AssertAt(error, 5, 11, "meta", "app:pool");
    }

    [Fact]
    public void Free_form_meta_keys_are_not_checked()
    {
        var set = EntryLoader.LoadText("meta.yaml", """
            namespace: app
            name: pool
            kind: process.host
            meta: {anything: goes, auto_strat: true}
            """);

        Assert.Equal(true, Assert.Single(set.All).Meta["auto_strat"]);
    }

    [Fact]
    public void Bad_lua_source()
    {
        var error = LoadError("""
            namespace: app
            entries:
              - name: cli
                kind: process.lua
                source: cli.lua
            """);

        AssertAt(error, 5, 13, "source", "app:cli");
        Assert.Contains("expected file://relative/path", error.Message);
    }

    [Fact]
    public void Missing_dotnet_type()
    {
        var error = LoadError("""
            namespace: app
            entries:
              - name: relay
                kind: process.dotnet
            """);

        AssertAt(error, 3, 5, "type", "app:relay");
    }

    [Fact]
    public void Duplicate_id_across_two_files_names_both_locations()
    {
        using var dir = new TempFolder();
        var first = dir.Write("a.yaml", """
            namespace: app
            entries:
              - name: relay
                kind: process.host
            """);
        var second = dir.Write("b.yaml", """
            namespace: app
            entries:
              - name: other
                kind: process.host
              - name: relay
                kind: process.host
            """);

        var error = Assert.Throws<EntryLoadException>(() => EntryLoader.LoadDirectory(dir.Path));

        Assert.Equal(second, error.File);
        Assert.Equal((5, 5), (error.Line, error.Column));
        Assert.Equal("name", error.Key);
        Assert.StartsWith($"{second}:5:5: key 'name' of entry 'app:relay': duplicate entry id 'app:relay'", error.Message);
        Assert.Contains($"first defined at {first}:3:5", error.Message);
    }

    [Fact]
    public void Dangling_process_reference()
    {
        var error = LoadError("""
            namespace: app
            entries:
              - {name: pool, kind: process.host}
              - name: svc
                kind: process.service
                process: relay
                host: pool
            """);

        AssertAt(error, 6, 14, "process", "app:svc");
        Assert.Contains("invalid process: app:relay: no entry with that id", error.Message);
    }

    [Fact]
    public void Invalid_host_reference()
    {
        var error = LoadError("""
            namespace: app
            entries:
              - {name: relay, kind: process.dotnet, type: T}
              - name: svc
                kind: process.service
                process: relay
                host: node:control
            """);

        AssertAt(error, 7, 11, "host", "app:svc");
        Assert.Contains("invalid host: node:control", error.Message);
    }

    [Fact]
    public void Reference_to_an_entry_of_the_wrong_kind()
    {
        var error = LoadError("""
            namespace: app
            entries:
              - {name: relay, kind: process.dotnet, type: T}
              - name: svc
                kind: process.service
                process: relay
                host: relay
            """);

        AssertAt(error, 7, 11, "host", "app:svc");
        Assert.Contains("invalid host: app:relay is a process.dotnet (expected process.host or terminal.host)", error.Message);
    }

    [Fact]
    public void Dangling_requirement()
    {
        var error = LoadError("""
            namespace: app
            entries:
              - name: pool
                kind: process.host
                lifecycle:
                  depends_on: [pool, missing]
            """);

        AssertAt(error, 6, 26, "lifecycle.depends_on[1]", "app:pool");
        Assert.Contains("invalid requirement: app:missing: no entry with that id", error.Message);
    }

    [Fact]
    public void Yaml_syntax_error()
    {
        var error = LoadError("""
            namespace: app
            entries:
              - name: relay
                kind: [process.host
            """);

        Assert.Equal("src/_index.yaml", error.File);
        Assert.True(error.Line >= 4, error.Message);
        Assert.Null(error.Key);
        Assert.StartsWith($"src/_index.yaml:{error.Line}:{error.Column}: invalid YAML: ", error.Message);
        Assert.IsAssignableFrom<YamlDotNet.Core.YamlException>(error.InnerException);
    }

    [Fact]
    public void Duplicate_yaml_key()
    {
        var error = LoadError("""
            namespace: app
            namespace: other
            """);

        AssertAt(error, 2, 1, null, null);
        Assert.Contains("Duplicate key", error.Message);
    }

    [Theory]
    [InlineData("my app")]
    [InlineData("app..core")]
    [InlineData("app:core")]
    [InlineData(".app")]
    public void Bad_namespace(string ns)
    {
        var error = LoadError($"""
            version: "1.0"
            namespace: "{ns}"
            entries: []
            """);

        AssertAt(error, 2, 12, "namespace", null);
        Assert.Contains($"invalid namespace '{ns}'", error.Message);
    }

    [Fact]
    public void Missing_namespace()
    {
        var error = LoadError("entries: []\n");

        AssertAt(error, 1, 1, "namespace", null);
    }

    [Fact]
    public void File_with_neither_entries_nor_an_entry()
    {
        var error = LoadError("namespace: app\n");

        AssertAt(error, 1, 1, "entries", null);
    }

    [Fact]
    public void Error_in_a_single_top_level_entry()
    {
        var error = LoadError("""
            namespace: app
            name: relay
            kind: process.dotnet
            type: T
            entrypoint: Main
            """);

        AssertAt(error, 5, 1, "entrypoint", "app:relay");
    }

    [Fact]
    public void Empty_file()
    {
        var error = LoadError("");

        AssertAt(error, 1, 1, null, null);
        Assert.Contains("empty", error.Message);
    }
}
