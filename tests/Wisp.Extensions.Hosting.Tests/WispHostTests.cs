using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Wisp.Hosting;
using Wisp.Hosting.Entries;

namespace Wisp.Extensions.Hosting.Tests;

/// <summary>AddWisp: a node that starts, serves and stops with its .NET host.</summary>
public class WispHostTests
{
    private const string UpperService = """
        namespace: app
        entries:
          - name: procs
            kind: process.host
          - name: upper
            kind: process.dotnet
            type: Wisp.Extensions.Hosting.Tests.Processes
            method: Upper
          - name: upper-service
            kind: process.service
            process: upper
            host: procs
            lifecycle:
              auto_start: true
        """;

    [Fact]
    public async Task Runs_a_service_from_yaml_and_one_from_code_and_cancels_both_when_the_host_stops()
    {
        await using var node = new NodeHost(wisp => wisp
            .AddProcess("app:greeter", Processes.Greeter)
            .AddService("app:greeter-service", "app:greeter", "app:procs")   // the host comes from the file
            .AddProcess("app:ask", Processes.Ask), yaml: UpperService);
        await node.StartAsync();
        await node.Registered("upper");
        await node.Registered("greeter");

        Assert.Equal("HI", (await node.CallAsync("app:ask", "upper", "hi")).Value);
        Assert.Equal("hello bob", (await node.CallAsync("app:ask", "greeter", "bob")).Value);
        Assert.Same(node.Runtime.Node, node.Host.Services.GetRequiredService<Node>());
        Assert.Contains(node.Logs.Lines, line => line.Contains("app:greeter: greeter serving"));   // the host's ILoggerFactory

        await node.StopAsync();
        Assert.Contains("upper cancelled: service stopping", node.Journal.Lines);
        Assert.Contains("greeter cancelled: service stopping", node.Journal.Lines);
        Assert.Equal(ServiceState.Stopped, node.Runtime.Service("app:upper-service")!.State);
        Assert.Equal(ServiceState.Stopped, node.Runtime.Service("app:greeter-service")!.State);
        Assert.Equal(0, node.Runtime.Node.ProcessCount);
    }

    [Fact]
    public async Task The_host_shutdown_timeout_terminates_a_service_that_does_not_stop_on_cancel()
    {
        await using var node = new NodeHost(wisp => wisp
                .AddHost("app:procs")
                .AddProcess("app:stubborn", Processes.Stubborn)
                .AddService("app:stubborn-service", "app:stubborn", "app:procs",
                    lifecycle: Lifecycle.Default with { AutoStart = true, StopTimeout = TimeSpan.FromHours(1) }),
            configure: builder => builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1)));
        await node.StartAsync();
        await node.Journal.Seen("stubborn running");

        await node.StopAsync();   // the service's stop_timeout is an hour; the host gives 1 s
        Assert.Contains("stubborn heard cancel", node.Journal.Lines);
        Assert.Equal(0, node.Runtime.Node.ProcessCount);
    }

    [Fact]
    public async Task The_nodes_meter_comes_from_the_hosts_meter_factory()
    {
        await using var node = new NodeHost(wisp => wisp.AddHost("app:procs"));

        Assert.Same(node.Host.Services.GetRequiredService<IMeterFactory>(), node.Runtime.Node.Metrics.Meter.Scope);
    }

    public static TheoryData<string, string, string> BadSettings => new()
    {
        { "Wisp:SourceDirectory", "no-such-folder", "Wisp:SourceDirectory: the folder " },
        { "Wisp:HostStopTimeout", "00:00:00", "Wisp:HostStopTimeout: must be positive" },
        { "Wisp:NodeName", "a b", "Wisp:NodeName: 'a b' is not a node name" },
        { "Wisp:DefaultScope", "Eventual", "Wisp:DefaultScope: Eventual needs a cluster" },
        { "Wisp:DefaultScope", "sometimes", "'Wisp:DefaultScope'" },
        { "Wisp:Overrides:0", "app:relay", "Wisp:Overrides:0: " },
        { "Wisp:Cluster:Listen", "nowhere", "Wisp:Cluster:Listen: 'nowhere' is not host:port" },
        { "Wisp:Cluster:HeartbeatInterval", "-00:00:01", "Wisp:Cluster:HeartbeatInterval: must be positive" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task A_bad_setting_fails_the_start_with_a_message_naming_its_key(string key, string value, string expected)
    {
        var settings = new Dictionary<string, string?> { [key] = value };
        if (key.StartsWith("Wisp:Cluster:", StringComparison.Ordinal)) settings["Wisp:NodeName"] = "a";
        await using var node = new NodeHost(wisp => wisp.AddHost("app:procs"), settings);

        var error = await Assert.ThrowsAnyAsync<Exception>(node.StartAsync);
        Assert.True(error is OptionsValidationException or InvalidOperationException, error.ToString());
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task Environment_variables_set_the_node()
    {
        var prefix = $"WISP_TEST_{Guid.NewGuid():N}_";
        Environment.SetEnvironmentVariable(prefix + "Wisp__NodeName", "envnode");
        Environment.SetEnvironmentVariable(prefix + "Wisp__HostStopTimeout", "00:00:03");
        try
        {
            await using var node = new NodeHost(wisp => wisp.AddHost("app:procs").AddProcess("app:me", (ProcessContext p) => p.Pid.ToString()),
                configure: builder => builder.Configuration.AddEnvironmentVariables(prefix));
            await node.StartAsync();

            Assert.Equal("envnode", node.Runtime.Node.Name);
            Assert.StartsWith("{envnode@app:procs|", (string?)(await node.CallAsync("app:me")).Value);
            Assert.Equal(TimeSpan.FromSeconds(3), node.Host.Services.GetRequiredService<IOptions<WispOptions>>().Value.HostStopTimeout);
            await node.StopAsync();
        }
        finally
        {
            Environment.SetEnvironmentVariable(prefix + "Wisp__NodeName", null);
            Environment.SetEnvironmentVariable(prefix + "Wisp__HostStopTimeout", null);
        }
    }

    [Fact]
    public async Task A_code_entry_naming_a_missing_host_fails_the_start_at_the_line_that_added_it()
    {
        int line = 0;
        await using var node = new NodeHost(wisp =>
        {
            wisp.AddProcess("app:p", (ProcessContext p) => 0);
            line = Line(); wisp.AddService("app:s", "app:p", "app:nowhere");
        });

        var error = await Assert.ThrowsAsync<EntryLoadException>(node.StartAsync);
        Assert.Equal((Path.GetFileName(File()), line, "app:s", "host"), (Path.GetFileName(error.File), error.Line, error.Entry, error.Key));
        Assert.Equal("invalid host: app:nowhere: no entry with that id", error.Reason);
    }

    [Fact]
    public async Task A_required_service_that_does_not_start_fails_the_hosts_start()
    {
        await using var node = new NodeHost(wisp => wisp
            .AddHost("app:procs")
            .AddProcess("app:p", (ProcessContext p) => 0)
            .AddService("app:s", "app:p", "app:procs", input: ["one too many"]));

        var error = await Assert.ThrowsAsync<WispException>(node.StartAsync);
        Assert.Equal("required service did not start: app:s: could not start app:p: app:p takes 0 argument(s), got 1", error.Message);
    }

    public static TheoryData<object?[], string> Calls => new()
    {
        { [2, 3], "value: 5" },
        { [2], "value: 7" },                                    // b takes its default
        { ["{app:procs|0x00001}", 1], "error: app:add: argument 'a' must be Int32" },
        { [1, 2, 3], "error: app:add takes 2 argument(s), got 3" },
    };

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task A_code_process_binds_its_arguments_as_a_dotnet_entry_does(object?[] args, string expected)
    {
        await using var node = new NodeHost(wisp => wisp.AddHost("app:procs").AddProcess("app:add", Add));
        await node.StartAsync();

        Assert.StartsWith(expected, (await node.CallAsync("app:add", args)).ToString());
        await node.StopAsync();

        static int Add(ProcessContext p, int a, int b = 5) => a + b;
    }

    private static int Line([CallerLineNumber] int line = 0) => line;
    private static string File([CallerFilePath] string file = "") => file;
}
