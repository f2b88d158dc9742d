using Wisp.Hosting;
using Wisp.Hosting.Entries;

namespace Wisp.Tests.Runtime;

/// <summary>process.dotnet entries on a bare node: the catalog built over loaded entries, spawned from outside.</summary>
public class DotnetEntryTests
{
    private const string Host = "app:h";

    private static string Yaml(string entries) => $"""
        namespace: app
        entries:
          - name: h
            kind: process.host
        {entries}
        """;

    private static string Dotnet(string name, string type, string method) => $"""
          - name: {name}
            kind: process.dotnet
            type: {type}
            method: {method}

        """;

    private static string Target(string name, string method, string type = "Wisp.Tests.Runtime.ReturnShapes") => Dotnet(name, type, method);

    private static (Node Node, EntrySet Set) Boot(string entries)
    {
        var set = EntryLoader.LoadText("test.yaml", Yaml(entries));
        var node = new Node(new NodeOptions { Catalog = new EntryCatalog(set, [typeof(DotnetEntryTests).Assembly]) });
        node.AddHost(Host);
        return (node, set);
    }

    /// <summary>
    /// Spawns <paramref name="entry"/> from a parent process that monitors it and hands back its EXIT.
    /// (Not <c>node.WhenExited(node.Spawn(...))</c>: that throws "process not found" when the child has
    /// already exited, see the skipped test in RuntimeTests.)
    /// </summary>
    private static Task<ExitResult> Run(Node node, string entry, params object?[] args)
    {
        var exit = new TaskCompletionSource<ExitResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        node.Spawn(Host, async p =>
        {
            try
            {
                var child = p.SpawnMonitored(entry, Host, args);
                while (true)
                {
                    var (e, _) = await p.Events.Receive();
                    if (e.Kind == EventKind.Exit && e.From == child)
                    {
                        exit.SetResult(e.Result!);
                        return null;
                    }
                }
            }
            catch (Exception e)
            {
                exit.SetException(e);
                return null;
            }
        });
        return Eventually.Within(exit.Task, $"{entry} to exit");
    }

    // ---- return shapes ----

    [Theory]
    [InlineData("PlainTask", null)]
    [InlineData("TaskOfInt", 42)]
    [InlineData("ValueTaskOfString", "hi")]
    [InlineData("PlainValueTask", null)]
    [InlineData("Void", null)]
    [InlineData("PlainInt", 7)]
    [InlineData("PlainString", "plain")]
    public async Task Return_shapes_give_the_exit_value(string method, object? expected)
    {
        var (node, _) = Boot(Target("e", method));
        var result = await Run(node, "app:e");
        Assert.Null(result.Error);
        Assert.Equal(expected, result.Value);
    }

    [Theory]
    [InlineData("Throws", "kaput")]
    [InlineData("ThrowsAsync", "async kaput")]
    public async Task A_throwing_method_exits_with_an_error(string method, string message)
    {
        var (node, _) = Boot(Target("e", method));
        var result = await Run(node, "app:e");
        Assert.NotNull(result.Error);
        Assert.Equal(message, result.Error.Message);
        Assert.Null(result.Error.Retryable);   // unsaid: a supervisor restarts it
    }

    [Fact]
    public async Task Returning_a_ProcessError_is_an_error_exit()
    {
        var (node, _) = Boot(Target("e", "NonRetryable"));
        var result = await Run(node, "app:e");
        Assert.NotNull(result.Error);
        Assert.Equal("x", result.Error.Message);
        Assert.False(result.Error.Retryable);
    }

    // ---- arguments ----

    [Fact]
    public async Task Arguments_bind_by_position_with_a_pid_from_its_string()
    {
        var (node, _) = Boot(Dotnet("describe", "Wisp.Tests.Runtime.Binding", "Describe") + Dotnet("sleeper", "Wisp.Tests.Runtime.Binding", "SleepForever"));
        var sleeper = node.Spawn("app:sleeper", Host);
        var result = await Run(node, "app:describe", sleeper.ToString(), 3L, "label");
        Assert.Equal($"{sleeper}|3|label", result.Value);
        node.Terminate(sleeper);
    }

    [Fact]
    public async Task A_pid_value_binds_as_is()
    {
        var (node, _) = Boot(Dotnet("describe", "Wisp.Tests.Runtime.Binding", "Describe"));
        var pid = new Pid("", "app:h", 0x2a);
        var result = await Run(node, "app:describe", pid, 1, "x");
        Assert.Equal($"{pid}|1|x", result.Value);
    }

    [Fact]
    public async Task Yaml_scalars_from_a_service_input_bind_to_parameter_types()
    {
        var set = EntryLoader.LoadText("test.yaml", Yaml(
            Dotnet("scalars", "Wisp.Tests.Runtime.Binding", "Scalars") + """
              - name: svc
                kind: process.service
                process: scalars
                host: h
                input: [12, 34, 2.5, true, 99, null, 1500ms]
            """));
        Assert.True(set.TryGet<ProcessServiceEntry>(EntryId.Parse("app:svc"), out var service));
        Assert.Equal([12L, 34L, 2.5, true, 99L, null, "1500ms"], service.Input);

        var node = new Node(new NodeOptions { Catalog = new EntryCatalog(set, [typeof(DotnetEntryTests).Assembly]) });
        node.AddHost(Host);
        var result = await Run(node, "app:scalars", [.. service.Input]);
        Assert.Null(result.Error);
        Assert.Equal("12|34|2.5|True|99|null|1500", result.Value);
    }

    [Fact]
    public async Task A_missing_argument_takes_the_default_value()
    {
        var (node, _) = Boot(Dotnet("add", "Wisp.Tests.Runtime.Binding", "WithDefault"));
        Assert.Equal(6, (await Run(node, "app:add", 1)).Value);
        Assert.Equal(3, (await Run(node, "app:add", 1, 2)).Value);
    }

    [Fact]
    public void A_missing_argument_without_a_default_is_invalid_at_spawn()
    {
        var (node, _) = Boot(Dotnet("add", "Wisp.Tests.Runtime.Binding", "WithDefault"));
        var e = Assert.Throws<WispException>(() => node.Spawn("app:add", Host));
        Assert.Equal(ErrorKind.Invalid, e.Kind);
        Assert.Contains("'a' is missing", e.Message);
        Assert.Contains("app:add", e.Message);
        Assert.Equal(0, node.ProcessCount);
    }

    [Fact]
    public void Too_many_arguments_are_invalid_at_spawn()
    {
        var (node, _) = Boot(Dotnet("add", "Wisp.Tests.Runtime.Binding", "WithDefault"));
        var e = Assert.Throws<WispException>(() => node.Spawn("app:add", Host, 1, 2, 3));
        Assert.Equal(ErrorKind.Invalid, e.Kind);
        Assert.Equal("app:add takes 2 argument(s), got 3", e.Message);
        Assert.Equal(0, node.ProcessCount);
    }

    [Fact]
    public async Task Too_many_arguments_fail_in_the_spawning_process()
    {
        var (node, _) = Boot(Dotnet("add", "Wisp.Tests.Runtime.Binding", "WithDefault") + Dotnet("spawner", "Wisp.Tests.Runtime.Binding", "SpawnsTooMany"));
        var result = await Run(node, "app:spawner", "app:add");
        Assert.Null(result.Error);
        Assert.Equal("Invalid: app:add takes 2 argument(s), got 3", result.Value);
    }

    [Fact]
    public void A_wrong_type_is_invalid_and_names_the_parameter()
    {
        var (node, _) = Boot(Dotnet("describe", "Wisp.Tests.Runtime.Binding", "Describe"));
        var e = Assert.Throws<WispException>(() => node.Spawn("app:describe", Host, "{app:h|0x1}", "many", "x"));
        Assert.Equal(ErrorKind.Invalid, e.Kind);
        Assert.Contains("'count'", e.Message);
        Assert.Contains("Int32", e.Message);

        var badPid = Assert.Throws<WispException>(() => node.Spawn("app:describe", Host, "not a pid", 1, "x"));
        Assert.Equal(ErrorKind.Invalid, badPid.Kind);
        Assert.Contains("'target'", badPid.Message);
    }

    [Fact]
    public void A_null_for_a_value_type_is_invalid()
    {
        var (node, _) = Boot(Dotnet("nn", "Wisp.Tests.Runtime.Binding", "NotNull"));
        var e = Assert.Throws<WispException>(() => node.Spawn("app:nn", Host, [null]));
        Assert.Equal(ErrorKind.Invalid, e.Kind);
        Assert.Contains("'x' cannot be null", e.Message);
    }

    [Fact]
    public void A_number_that_does_not_fit_is_invalid()
    {
        var (node, _) = Boot(Dotnet("nn", "Wisp.Tests.Runtime.Binding", "NotNull"));
        var e = Assert.Throws<WispException>(() => node.Spawn("app:nn", Host, long.MaxValue));
        Assert.Equal(ErrorKind.Invalid, e.Kind);
        Assert.Contains("'x'", e.Message);
    }

    // ---- bad entries ----

    [Fact]
    public void An_unknown_type_is_a_clear_error_naming_the_entry()
    {
        var (node, _) = Boot(Dotnet("ghost", "Wisp.Tests.Runtime.NoSuchType", "Main"));
        var e = Assert.Throws<WispException>(() => node.Spawn("app:ghost", Host));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Contains("app:ghost", e.Message);
        Assert.Contains("'Wisp.Tests.Runtime.NoSuchType' not found", e.Message);
        Assert.Contains("test.yaml", e.Message);
    }

    [Fact]
    public void An_unknown_method_is_a_clear_error_naming_the_entry()
    {
        var (node, _) = Boot(Target("nomethod", "Missing"));
        var e = Assert.Throws<WispException>(() => node.Spawn("app:nomethod", Host));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Contains("app:nomethod", e.Message);
        Assert.Contains("no public static method 'Missing'", e.Message);
    }

    [Fact]
    public void An_overloaded_method_is_refused()
    {
        var (node, _) = Boot(Target("over", "Overloaded", "Wisp.Tests.Runtime.BadShapes"));
        var e = Assert.Throws<WispException>(() => node.Spawn("app:over", Host));
        Assert.Contains("app:over", e.Message);
        Assert.Contains("overloaded", e.Message);
    }

    [Theory]
    [InlineData("NoContext")]
    [InlineData("Empty")]
    [InlineData("ContextSecond")]
    public void The_first_parameter_must_be_the_ProcessContext(string method)
    {
        var (node, _) = Boot(Target("bad", method, "Wisp.Tests.Runtime.BadShapes"));
        var e = Assert.Throws<WispException>(() => node.Spawn("app:bad", Host));
        Assert.Equal(ErrorKind.Invalid, e.Kind);
        Assert.Contains("app:bad", e.Message);
        Assert.Contains("must take a ProcessContext as its first parameter", e.Message);
    }

    [Fact]
    public async Task A_type_is_found_in_the_assembly_the_entry_names()
    {
        var assembly = typeof(DotnetEntryTests).Assembly.Location;
        var set = EntryLoader.LoadText(Path.Combine(Path.GetDirectoryName(assembly)!, "test.yaml"), Yaml($"""
              - name: e
                kind: process.dotnet
                type: Wisp.Tests.Runtime.ReturnShapes
                method: PlainInt
                assembly: file://{Path.GetFileName(assembly)}
            """));
        var node = new Node(new NodeOptions { Catalog = new EntryCatalog(set, assemblies: []) });
        node.AddHost(Host);
        Assert.Equal(7, (await Run(node, "app:e")).Value);
    }

    [Fact]
    public void A_lua_entry_needs_the_lua_runtime()
    {
        var (node, _) = Boot("""
              - name: cli
                kind: process.lua
                source: file://cli.lua
                method: main
            """);
        var e = Assert.Throws<WispException>(() => node.Spawn("app:cli", Host));
        Assert.Equal(ErrorKind.Unavailable, e.Kind);
        Assert.Contains("process.lua entries need the Lua runtime", e.Message);
        Assert.Contains("app:cli", e.Message);
    }

    [Fact]
    public void An_unknown_entry_is_not_found()
    {
        var (node, _) = Boot("");
        var e = Assert.Throws<WispException>(() => node.Spawn("app:nope", Host));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Equal("entry not found: app:nope", e.Message);
        Assert.Throws<WispException>(() => node.Spawn("not-an-id", Host));
    }

    [Fact]
    public void A_host_entry_is_not_a_process()
    {
        var (node, _) = Boot("");
        var e = Assert.Throws<WispException>(() => node.Spawn("app:h", Host));
        Assert.Equal(ErrorKind.Invalid, e.Kind);
        Assert.Contains("is a process.host, not a process", e.Message);
    }

    // ---- catalog ----

    [Fact]
    public void The_catalog_builds_a_definition_once_per_entry()
    {
        var set = EntryLoader.LoadText("test.yaml", Yaml(Target("e", "PlainInt")));
        var catalog = new EntryCatalog(set, [typeof(DotnetEntryTests).Assembly]);
        var first = catalog.Find("app:e");
        Assert.NotNull(first);
        Assert.Same(first, catalog.Find("app:e"));
        Assert.Equal("app:e", first.Id);
        Assert.Null(catalog.Find("app:missing"));
        Assert.Null(catalog.Find("garbage"));
    }

    [Fact]
    public async Task A_type_is_found_by_its_assembly_qualified_name_without_listed_assemblies()
    {
        var set = EntryLoader.LoadText("test.yaml", Yaml(Target("e", "PlainInt", "\"Wisp.Tests.Runtime.ReturnShapes, Wisp.Hosting.Tests\"")));
        var node = new Node(new NodeOptions { Catalog = new EntryCatalog(set, []) });
        node.AddHost(Host);
        Assert.Equal(7, (await Run(node, "app:e")).Value);
    }

    [Fact]
    public async Task A_process_host_gives_no_terminal()
    {
        var set = EntryLoader.LoadText("test.yaml", Yaml(Target("e", "HasTerminal", "Wisp.Tests.Runtime.TerminalTargets")));
        var node = new Node(new NodeOptions { Catalog = new EntryCatalog(set, [typeof(DotnetEntryTests).Assembly]) });
        node.AddHost(Host);
        Assert.Equal("no terminal", (await Run(node, "app:e")).Value);
    }
}
