using Wisp.Hosting;
using Wisp.Hosting.Entries;

namespace Wisp.Tests.Runtime;

/// <summary>process.service supervision, through a runtime booted from a temp src folder.</summary>
public class SupervisorTests
{
    private const string Fast = "restart: {initial_delay: 10ms, max_delay: 50ms}";

    private static string Yaml(string method, string input, string lifecycle = Fast) => $$"""
        namespace: app
        entries:
          - name: procs
            kind: process.host
          - name: target
            kind: process.dotnet
            type: Wisp.Tests.Runtime.ServiceTargets
            method: {{method}}
          - name: svc
            kind: process.service
            process: target
            host: procs
            input: {{input}}
            lifecycle:
              auto_start: true
              {{lifecycle}}
        """;

    private static async Task<TestRuntime> Started(string yaml)
    {
        var test = new TestRuntime(yaml);
        await Eventually.Within(test.Runtime.StartAsync(), "services to start");
        return test;
    }

    [Fact]
    public async Task A_failing_process_is_restarted_with_a_new_pid()
    {
        var token = Probe.NewToken();
        await using var test = await Started(Yaml("Fails", $"[{token}]"));
        var svc = test.Service("app:svc");

        await Eventually.Until(() => svc.Runs >= 3 && Probe.Get(token).Count >= 3, "three runs");
        var pids = Probe.Get(token);
        Assert.Equal(pids.Count, pids.Distinct().Count());
        Assert.All(pids, pid => Assert.StartsWith("{app:procs|", pid));
        Assert.Contains(svc.State, new[] { ServiceState.Running, ServiceState.Restarting });
        Assert.Equal("app:svc", svc.Id.ToString());

        await test.Runtime.ShutdownAsync();
        Assert.Equal(ServiceState.Stopped, svc.State);
        Assert.Null(svc.Child);
    }

    [Fact]
    public async Task A_normal_return_is_Exited_and_not_restarted()
    {
        var token = Probe.NewToken();
        await using var test = await Started(Yaml("ReturnsNormally", $"[{token}]"));
        var svc = test.Service("app:svc");

        await Eventually.Until(() => svc.State == ServiceState.Exited, "Exited");
        Assert.Equal(1, svc.Runs);
        Assert.Null(svc.Child);
        Assert.Equal(["ran"], Probe.Get(token));

        await test.Runtime.ShutdownAsync();
        Assert.Equal(ServiceState.Exited, svc.State);
        Assert.Equal(1, svc.Runs);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Max_attempts_allows_that_many_failed_runs_then_Failed(int maxAttempts)
    {
        var token = Probe.NewToken();
        await using var test = await Started(Yaml("Fails", $"[{token}]",
            $"restart: {{initial_delay: 10ms, max_delay: 50ms, max_attempts: {maxAttempts}}}"));
        var svc = test.Service("app:svc");

        await Eventually.Until(() => svc.State == ServiceState.Failed, "Failed");
        Assert.Equal(maxAttempts, svc.Runs);
        Assert.Equal(maxAttempts, Probe.Get(token).Count);
        Assert.Null(svc.Child);

        await test.Runtime.ShutdownAsync();
        Assert.Equal(ServiceState.Failed, svc.State);
    }

    [Fact]
    public async Task A_run_that_lasts_the_stable_threshold_resets_the_failure_count()
    {
        // stable_threshold 0s: every run counts as stable, so two attempts are never used up.
        var token = Probe.NewToken();
        await using var test = await Started(Yaml("Fails", $"[{token}]", """
            stable_threshold: 0s
                  restart: {initial_delay: 10ms, max_delay: 50ms, max_attempts: 2}
            """));
        var svc = test.Service("app:svc");

        await Eventually.Until(() => svc.Runs >= 4, "four runs");
        Assert.NotEqual(ServiceState.Failed, svc.State);
    }

    [Fact]
    public async Task A_non_retryable_error_is_Exited_without_restart()
    {
        var token = Probe.NewToken();
        await using var test = await Started(Yaml("NonRetryable", $"[{token}]"));
        var svc = test.Service("app:svc");

        await Eventually.Until(() => svc.State == ServiceState.Exited, "Exited");
        Assert.Equal(1, svc.Runs);
        Assert.Equal(["ran"], Probe.Get(token));
    }

    [Theory]
    [InlineData("Wisp.Tests.Runtime.NoSuchType", "Main", "[]")]
    [InlineData("Wisp.Tests.Runtime.ServiceTargets", "NoSuchMethod", "[]")]
    [InlineData("Wisp.Tests.Runtime.ServiceTargets", "ReturnsNormally", "[a, b, c]")]   // too many arguments
    [InlineData("Wisp.Tests.Runtime.ServiceTargets", "Bound", "[t, not-a-pid, 1, 1.5, true]")]
    public async Task A_spawn_failure_is_final_and_a_required_service_that_never_ran_stops_the_boot(string type, string method, string input)
    {
        await using var test = new TestRuntime($"""
            namespace: app
            entries:
              - name: procs
                kind: process.host
              - name: target
                kind: process.dotnet
                type: {type}
                method: {method}
              - name: svc
                kind: process.service
                process: target
                host: procs
                input: {input}
                lifecycle:
                  auto_start: true
                  {Fast}
            """);
        var boot = await Assert.ThrowsAsync<WispException>(() => Eventually.Within(test.Runtime.StartAsync(), "the boot"));
        Assert.Equal(ErrorKind.Unavailable, boot.Kind);
        Assert.StartsWith("required service did not start: app:svc: could not start app:target: ", boot.Message);

        var svc = test.Service("app:svc")!;
        Assert.Equal(ServiceState.Exited, svc.State);
        Assert.Equal(0, svc.Runs);
        Assert.Null(svc.Child);
        Assert.True(svc.Started.IsCompleted);
    }

    [Fact]
    public async Task An_optional_service_that_cannot_start_leaves_the_rest_running()
    {
        var token = Probe.NewToken();
        await using var test = new TestRuntime($"""
            namespace: app
            entries:
              - name: procs
                kind: process.host
              - name: broken
                kind: process.dotnet
                type: Wisp.Tests.Runtime.ServiceTargets
                method: NoSuchMethod
              - name: target
                kind: process.dotnet
                type: Wisp.Tests.Runtime.ServiceTargets
                method: Fails
              - name: extra
                kind: process.service
                process: broken
                host: procs
                lifecycle:
                  auto_start: true
                  startup: optional
              - name: svc
                kind: process.service
                process: target
                host: procs
                input: [{token}]
                lifecycle:
                  auto_start: true
                  {Fast}
            """);
        await Eventually.Within(test.Runtime.StartAsync(), "the boot");

        Assert.Equal(ServiceState.Exited, test.Service("app:extra")!.State);
        Assert.Equal(0, test.Service("app:extra")!.Runs);
        await Eventually.Until(() => test.Service("app:svc")!.Runs >= 1, "the required service to run");
    }

    [Fact]
    public async Task A_lua_process_service_cannot_start_without_the_lua_runtime()
    {
        await using var test = new TestRuntime($"""
            namespace: app
            entries:
              - name: procs
                kind: process.host
              - name: target
                kind: process.lua
                source: file://target.lua
              - name: svc
                kind: process.service
                process: target
                host: procs
                lifecycle:
                  auto_start: true
            """);
        var boot = await Assert.ThrowsAsync<WispException>(() => Eventually.Within(test.Runtime.StartAsync(), "the boot"));
        Assert.Contains("process.lua entries need the Lua runtime", boot.Message);
        Assert.Equal(ServiceState.Exited, test.Service("app:svc")!.State);
        Assert.Equal(0, test.Service("app:svc")!.Runs);
    }

    [Fact]
    public void An_unknown_process_entry_is_refused_at_load()
    {
        var e = Assert.Throws<EntryLoadException>(() => TestRuntime.LoadOnly("""
            namespace: app
            entries:
              - name: procs
                kind: process.host
              - name: svc
                kind: process.service
                process: nowhere
                host: procs
                lifecycle:
                  auto_start: true
            """));
        Assert.Contains("app:nowhere", e.Message);
        Assert.Equal("app:svc", e.Entry);
    }

    [Fact]
    public async Task Service_input_binds_to_the_process_parameters()
    {
        var token = Probe.NewToken();
        await using var test = await Started(Yaml("Bound", $"[{token}, \"{{app:procs|0x5}}\", 42, 2.5, true]"));
        var svc = test.Service("app:svc");

        await Eventually.Until(() => svc.State == ServiceState.Exited, "Exited");
        Assert.Equal([$"{Pid.Parse("{app:procs|0x5}")}|42|2.5|True"], Probe.Get(token));
        Assert.Equal(1, svc.Runs);
    }

    [Fact]
    public async Task Shutdown_terminates_a_process_that_ignores_cancel_after_stop_timeout()
    {
        var token = Probe.NewToken();
        await using var test = await Started(Yaml("IgnoresCancel", $"[{token}]", "stop_timeout: 200ms"));
        var svc = test.Service("app:svc");
        await Eventually.Until(() => Probe.Get(token).Contains("started"), "the process to start");
        var child = svc.Child;
        Assert.NotNull(child);
        Assert.Equal(ServiceState.Running, svc.State);

        await Eventually.Within(test.Runtime.ShutdownAsync(), "shutdown");

        Assert.Equal(ServiceState.Stopped, svc.State);
        Assert.False(test.Runtime.Node.IsAlive(child.Value));
        Assert.Equal(["started"], Probe.Get(token));   // terminated, it never woke
        Assert.Equal(1, svc.Runs);
    }

    [Fact]
    public async Task A_hurried_shutdown_terminates_supervisors_and_their_services_are_Stopped()
    {
        var token = Probe.NewToken();
        await using var test = await Started(Yaml("IgnoresCancel", $"[{token}]", "stop_timeout: 10m"));
        var svc = test.Service("app:svc");
        await Eventually.Until(() => Probe.Get(token).Contains("started"), "the process to start");
        var changes = new List<ServiceChange>();
        svc.Changed += change => { lock (changes) changes.Add(change); };

        await Eventually.Within(test.Runtime.ShutdownAsync(new CancellationToken(canceled: true)), "a hurried shutdown");

        Assert.Equal(ServiceState.Stopped, svc.State);
        Assert.Null(svc.Child);
        lock (changes) Assert.Equal([ServiceState.Stopped], changes.Select(c => c.State));
    }

    [Fact]
    public async Task A_process_that_handles_cancel_sees_service_stopping()
    {
        var token = Probe.NewToken();
        await using var test = await Started(Yaml("HandlesCancel", $"[{token}, svc]"));
        var svc = test.Service("app:svc");
        await Eventually.Until(() => Probe.Get(token).Contains("svc started"), "the process to start");

        await Eventually.Within(test.Runtime.ShutdownAsync(), "shutdown");

        Assert.Equal(ServiceState.Stopped, svc.State);
        Assert.Equal(["svc started", "svc pid.cancel: service stopping"], Probe.Get(token));
        Assert.Equal(1, svc.Runs);
    }

    [Fact]
    public async Task Shutdown_while_waiting_to_restart_is_Stopped()
    {
        var token = Probe.NewToken();
        await using var test = await Started(Yaml("Fails", $"[{token}]", "restart: {initial_delay: 10m, max_delay: 10m}"));
        var svc = test.Service("app:svc");
        await Eventually.Until(() => svc.State == ServiceState.Restarting, "Restarting");

        await Eventually.Within(test.Runtime.ShutdownAsync(), "shutdown");

        Assert.Equal(ServiceState.Stopped, svc.State);
        Assert.Equal(1, svc.Runs);
    }

    private static string Dependencies(string token, string lifecycleA, string lifecycleB) => $$"""
        namespace: app
        entries:
          - name: ha
            kind: process.host
          - name: hb
            kind: process.host
          - name: target
            kind: process.dotnet
            type: Wisp.Tests.Runtime.ServiceTargets
            method: HandlesCancel
          - name: b
            kind: process.service
            process: target
            host: hb
            input: [{{token}}, B, "app:ha"]
            lifecycle: {{lifecycleB}}
          - name: a
            kind: process.service
            process: target
            host: ha
            input: [{{token}}, A]
            lifecycle: {{lifecycleA}}
        """;

    [Fact]
    public async Task A_required_service_starts_first_and_stops_last()
    {
        var token = Probe.NewToken();
        await using var test = await Started(Dependencies(token,
            lifecycleA: "{auto_start: true}",
            lifecycleB: "{auto_start: true, requires: [a]}"));
        var a = test.Service("app:a");
        var b = test.Service("app:b");
        await Eventually.Until(() => Probe.Get(token).Count == 2, "both processes to start");

        // B's process was spawned only once A's was: when B's main ran, A's process was already on its host.
        Assert.Contains("B started, app:ha runs 1", Probe.Get(token));
        Assert.Contains("A started", Probe.Get(token));
        Assert.Equal(ServiceState.Running, a.State);
        Assert.Equal(ServiceState.Running, b.State);

        await Eventually.Within(test.Runtime.ShutdownAsync(), "shutdown");

        // Dependents stop first.
        Assert.Equal(["B pid.cancel: service stopping", "A pid.cancel: service stopping"], Probe.Get(token).Skip(2));
        Assert.Equal(ServiceState.Stopped, a.State);
        Assert.Equal(ServiceState.Stopped, b.State);
    }

    [Fact]
    public async Task A_required_service_starts_even_without_auto_start()
    {
        var token = Probe.NewToken();
        await using var test = await Started(Dependencies(token,
            lifecycleA: "{auto_start: false}",
            lifecycleB: "{auto_start: true, requires: [a]}"));
        await Eventually.Until(() => Probe.Get(token).Count == 2, "both processes to start");
        Assert.Contains("B started, app:ha runs 1", Probe.Get(token));
        Assert.NotNull(test.Runtime.Service("app:a"));
    }

    [Fact]
    public async Task A_service_without_auto_start_that_nobody_requires_does_not_start()
    {
        var token = Probe.NewToken();
        await using var test = await Started(Dependencies(token,
            lifecycleA: "{auto_start: false}",
            lifecycleB: "{auto_start: false, requires: [a]}"));
        Assert.Null(test.Runtime.Service("app:a"));
        Assert.Null(test.Runtime.Service("app:b"));
        Assert.Null(test.Runtime.Service("not an id"));
        Assert.Empty(Probe.Get(token));
    }

    [Fact]
    public void Services_start_in_dependency_levels()
    {
        var set = EntryLoader.LoadText("test.yaml", """
            namespace: app
            entries:
              - name: procs
                kind: process.host
              - name: target
                kind: process.dotnet
                type: Wisp.Tests.Runtime.ServiceTargets
                method: HandlesCancel
              - {name: c, kind: process.service, process: target, host: procs, lifecycle: {auto_start: true, requires: [b, procs]}}
              - {name: b, kind: process.service, process: target, host: procs, lifecycle: {auto_start: true, requires: [a]}}
              - {name: a, kind: process.service, process: target, host: procs, lifecycle: {auto_start: false}}
              - {name: d, kind: process.service, process: target, host: procs, lifecycle: {auto_start: true}}
              - {name: off, kind: process.service, process: target, host: procs}
            """);
        var levels = ServiceOrder.Levels(set).Select(l => l.Select(s => s.Id.Name).Order().ToArray()).ToArray();
        Assert.Equal([["a", "d"], ["b"], ["c"]], levels);
    }

    [Fact]
    public void A_dependency_cycle_is_a_load_error()
    {
        var e = Assert.Throws<EntryLoadException>(() => TestRuntime.LoadOnly("""
            namespace: app
            entries:
              - name: procs
                kind: process.host
              - name: target
                kind: process.dotnet
                type: Wisp.Tests.Runtime.ServiceTargets
                method: HandlesCancel
              - {name: a, kind: process.service, process: target, host: procs, lifecycle: {auto_start: true, requires: [b]}}
              - {name: b, kind: process.service, process: target, host: procs, lifecycle: {requires: [c]}}
              - {name: c, kind: process.service, process: target, host: procs, lifecycle: {requires: [a]}}
            """));
        Assert.Contains("dependency cycle", e.Message);
        Assert.Contains("app:a -> app:b -> app:c -> app:a", e.Message);
        Assert.Equal("lifecycle.requires", e.Key);
    }

    [Fact]
    public void A_service_that_requires_itself_is_a_cycle()
    {
        var e = Assert.Throws<EntryLoadException>(() => TestRuntime.LoadOnly("""
            namespace: app
            entries:
              - name: procs
                kind: process.host
              - name: target
                kind: process.dotnet
                type: Wisp.Tests.Runtime.ServiceTargets
                method: HandlesCancel
              - {name: a, kind: process.service, process: target, host: procs, lifecycle: {auto_start: true, requires: [a]}}
            """));
        Assert.Contains("dependency cycle: app:a -> app:a", e.Message);
    }
}
