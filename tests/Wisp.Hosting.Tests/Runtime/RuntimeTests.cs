using Microsoft.Extensions.Logging;
using Wisp.Hosting;

namespace Wisp.Tests.Runtime;

/// <summary>WispRuntime.RunAsync: run -x host/entry (or entry with the single terminal host).</summary>
public class RuntimeTests
{
    private static string Entry(string name, string method) => $"""
          - name: {name}
            kind: process.dotnet
            type: Wisp.Tests.Runtime.TerminalTargets
            method: {method}

        """;

    private static string Yaml(string entries) => $"""
        namespace: app
        entries:
        {entries}
        """;

    private const string Term = """
          - name: term
            kind: terminal.host

        """;

    private const string Procs = """
          - name: procs
            kind: process.host

        """;

    private static async Task<(int Code, TestRuntime Test)> Run(string yaml, string target, string input = "")
    {
        var test = new TestRuntime(yaml, input);
        var code = await Eventually.Within(test.Runtime.RunAsync(target), $"run {target}");
        return (code, test);
    }

    [Theory]
    [InlineData("app:term/app:main")]
    [InlineData("app:main")]
    public async Task Runs_an_entry_on_the_terminal_host_and_returns_its_code(string target)
    {
        var (code, test) = await Run(Yaml(Term + Entry("main", "Seven")), target);
        await using var _ = test;
        Assert.Equal(7, code);
        Assert.Equal("", test.Error.ToString());
        Assert.Equal("", test.Output.ToString());
    }

    [Fact]
    public async Task False_is_exit_code_one()
    {
        var (code, test) = await Run(Yaml(Term + Entry("main", "False")), "app:main");
        await using var _ = test;
        Assert.Equal(1, code);
        Assert.Equal("", test.Error.ToString());
    }

    [Fact]
    public async Task A_throwing_process_is_exit_code_one_with_its_message_on_stderr()
    {
        var (code, test) = await Run(Yaml(Term + Entry("main", "Throws")), "app:main");
        await using var _ = test;
        Assert.Equal(1, code);
        Assert.Equal("error: it broke" + Environment.NewLine, test.Error.ToString());
        Assert.Equal("", test.Output.ToString());
    }

    [Fact]
    public async Task A_returned_string_is_printed_and_the_process_has_the_terminal()
    {
        var (code, test) = await Run(Yaml(Term + Entry("main", "HasTerminal")), "app:main");
        await using var _ = test;
        Assert.Equal(0, code);
        Assert.Equal("terminal" + Environment.NewLine, test.Output.ToString());
    }

    [Fact]
    public async Task No_terminal_host_is_an_error()
    {
        var (code, test) = await Run(Yaml(Procs + Entry("main", "Seven")), "app:main");
        await using var _ = test;
        Assert.Equal(1, code);
        Assert.Contains("no terminal.host found", test.Error.ToString());
    }

    [Fact]
    public async Task Two_terminal_hosts_need_host_slash_entry()
    {
        var yaml = Yaml(Term + """
              - name: term2
                kind: terminal.host

            """ + Entry("main", "Seven"));
        var (code, test) = await Run(yaml, "app:main");
        await using (test)
        {
            Assert.Equal(1, code);
            var error = test.Error.ToString();
            Assert.Contains("multiple terminal hosts", error);
            Assert.Contains("app:term, app:term2", error);
            Assert.Contains("use host/entry", error);
        }

        var (chosen, second) = await Run(yaml, "app:term2/app:main");
        await using (second) Assert.Equal(7, chosen);
    }

    [Fact]
    public async Task Running_on_a_process_host_is_a_clear_error()
    {
        var (code, test) = await Run(Yaml(Term + Procs + Entry("main", "Seven")), "app:procs/app:main");
        await using var _ = test;
        Assert.Equal(1, code);
        Assert.Equal("error: app:procs is a process.host: run -x needs a terminal.host" + Environment.NewLine, test.Error.ToString());
    }

    [Theory]
    [InlineData("app:nope", "entry not found: app:nope")]
    [InlineData("app:term/app:nope", "entry not found: app:nope")]
    [InlineData("app:ghost/app:main", "host not found: app:ghost")]
    [InlineData("main", "invalid entry id 'main'")]
    [InlineData("bad/app:main", "invalid host id 'bad'")]
    [InlineData("app:term", "entry app:term is a terminal.host, not a process or a function")]
    public async Task A_bad_target_is_a_clear_error(string target, string message)
    {
        var (code, test) = await Run(Yaml(Term + Entry("main", "Seven")), target);
        await using var _ = test;
        Assert.Equal(1, code);
        Assert.Contains(message, test.Error.ToString());
        Assert.StartsWith("error: ", test.Error.ToString());
    }

    [Fact]
    public async Task A_target_that_cannot_be_spawned_is_an_error()
    {
        var yaml = Yaml(Term + """
              - name: ghost
                kind: process.dotnet
                type: Wisp.Tests.Runtime.NoSuchType

            """);
        var (code, test) = await Run(yaml, "app:ghost");
        await using var _ = test;
        Assert.Equal(1, code);
        Assert.Contains("app:ghost", test.Error.ToString());
        Assert.Contains("not found", test.Error.ToString());
    }

    [Fact]
    public async Task An_interrupt_terminates_the_process_and_is_130()
    {
        await using var test = new TestRuntime(Yaml(Term + Entry("main", "SleepForever")));
        using var interrupt = new CancellationTokenSource();
        var run = test.Runtime.RunAsync("app:main", interrupt.Token);
        await Eventually.Until(() => test.Runtime.Node.ProcessesOn("app:term").Count == 1, "the process to run");
        interrupt.Cancel();
        Assert.Equal(130, await Eventually.Within(run, "run to end"));
        Assert.Empty(test.Runtime.Node.ProcessesOn("app:term"));
    }

    [Fact]
    public async Task Auto_start_services_run_during_the_run_and_stop_after_it()
    {
        var token = Probe.NewToken();
        var yaml = Yaml(Term + Procs + Entry("main", "Seven") + $"""
              - name: worker
                kind: process.dotnet
                type: Wisp.Tests.Runtime.ServiceTargets
                method: HandlesCancel
              - name: svc
                kind: process.service
                process: worker
                host: procs
                input: [{token}, svc]
                lifecycle:
                  auto_start: true

            """);
        var (code, test) = await Run(yaml, "app:main");
        await using var _ = test;
        Assert.Equal(7, code);
        var svc = test.Service("app:svc");
        Assert.Equal(ServiceState.Stopped, svc.State);
        Assert.Equal(["svc started", "svc pid.cancel: service stopping"], Probe.Get(token));
        Assert.False(test.Runtime.Node.FindHost("app:term")!.IsAccepting);   // the runtime is shut down
        Assert.Equal(0, test.Runtime.Node.ProcessCount);
    }

    [Fact]
    public async Task Hosts_and_the_control_host_exist_after_load()
    {
        await using var test = new TestRuntime(Yaml(Term + Procs));
        Assert.NotNull(test.Runtime.Node.FindHost("app:term"));
        Assert.NotNull(test.Runtime.Node.FindHost("app:procs"));
        Assert.NotNull(test.Runtime.Node.FindHost(Supervisor.ControlHost));
        Assert.Equal(2, test.Runtime.Entries.All.Count);
    }

    [Fact]
    public async Task A_process_that_returns_at_once_still_gives_its_code()
    {
        for (int i = 0; i < 50; i++)
        {
            var (code, test) = await Run(Yaml(Term + Entry("main", "Seven")), "app:main");
            await using var _ = test;
            Assert.Equal("", test.Error.ToString());
            Assert.Equal(7, code);
        }
    }

    [Fact]
    public async Task Node_WhenExited_of_a_process_that_has_already_exited_is_not_found_but_SpawnWatched_sees_it()
    {
        var node = new Node(new NodeOptions { Catalog = new ProcessCatalog().Add("app:seven", _ => Task.FromResult<object?>(7)) });
        node.AddHost("h");
        var (pid, exited) = node.SpawnWatched("app:seven", "h");
        Assert.Equal(7, (await exited.WaitAsync(TimeSpan.FromSeconds(30))).Value);
        var error = await Assert.ThrowsAsync<WispException>(() => node.WhenExited(pid));
        Assert.Equal(ErrorKind.NotFound, error.Kind);
    }

    [Theory]
    [InlineData("required", 1)]
    [InlineData("optional", 7)]
    public async Task A_service_that_cannot_start_stops_the_run_only_if_required(string startup, int expected)
    {
        var service = $"""
              - name: broken
                kind: process.dotnet
                type: Wisp.Tests.Runtime.ServiceTargets
                method: NoSuchMethod
              - name: svc
                kind: process.service
                process: broken
                host: procs
                lifecycle:
                  auto_start: true
                  startup: {startup}

            """;
        var (code, test) = await Run(Yaml(Term + Procs + service + Entry("main", "Seven")), "app:main");
        await using var _ = test;
        Assert.Equal(expected, code);
        if (startup == "required")
            Assert.StartsWith("error: required service did not start: app:svc: could not start app:broken: ", test.Error.ToString());
        else Assert.Equal("", test.Error.ToString());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Hide_logs_silences_the_logs_while_the_terminal_process_runs(bool hide)
    {
        var logs = new ListLoggerProvider();
        using var loggers = logs.Factory();
        var terminal = $"""
              - name: term
                kind: terminal.host
                hide_logs: {(hide ? "true" : "false")}

            """;
        var test = new TestRuntime(Yaml(terminal + Entry("main", "LogsAndReturns")), loggers: loggers);
        await using var _ = test;

        Assert.Equal(0, await Eventually.Within(test.Runtime.RunAsync("app:main"), "run app:main"));

        Assert.Equal(hide ? 0 : 1, logs.Lines.Count(l => l.EndsWith("hello from main")));
        test.Runtime.Node.LoggerFactory.CreateLogger("after").LogInformation("after the run");
        Assert.Contains("after: after the run", logs.Lines);   // the switch is open again
    }

    [Fact]
    public async Task Hidden_logs_come_back_when_the_terminal_process_cannot_even_be_spawned()
    {
        var logs = new ListLoggerProvider();
        using var loggers = logs.Factory();
        const string terminal = """
              - name: term
                kind: terminal.host
                hide_logs: true

            """;
        var test = new TestRuntime(Yaml(terminal + Entry("main", "NoSuchMethod")), loggers: loggers);
        await using var _ = test;

        Assert.Equal(1, await Eventually.Within(test.Runtime.RunAsync("app:main"), "run app:main"));
        test.Runtime.Node.LoggerFactory.CreateLogger("after").LogInformation("after the run");
        Assert.Contains("after: after the run", logs.Lines);
    }

    [Fact]
    public async Task A_service_requiring_an_optional_one_that_did_not_start_is_not_started_either()
    {
        var logs = new ListLoggerProvider();
        using var loggers = logs.Factory();
        const string services = """
              - name: broken
                kind: process.dotnet
                type: Wisp.Tests.Runtime.ServiceTargets
                method: NoSuchMethod
              - name: opt
                kind: process.service
                process: broken
                host: procs
                lifecycle:
                  auto_start: true
                  startup: optional
              - name: dependent
                kind: process.service
                process: main
                host: procs
                lifecycle:
                  auto_start: true
                  startup: optional
                  requires: [app:opt]
              - name: unrelated
                kind: process.service
                process: main
                host: procs
                lifecycle:
                  auto_start: true
                  requires: [app:procs]

            """;
        var test = new TestRuntime(Yaml(Procs + services + Entry("main", "Seven")), loggers: loggers);
        await using var _ = test;

        await Eventually.Within(test.Runtime.StartAsync(), "the boot");

        Assert.Null(test.Runtime.Service("app:dependent"));
        Assert.Contains(logs.Lines, l => l.Contains("app:dependent: requires app:opt, which did not start"));
        Assert.True(test.Runtime.Service("app:unrelated")!.Runs >= 1);
    }

    [Fact]
    public async Task A_huge_exit_value_does_not_crash_the_run()
    {
        var test = new TestRuntime(Yaml(Term + Entry("main", "Huge")));
        await using var _ = test;
        Assert.Equal(1, await test.Runtime.RunAsync("app:main"));
    }
}
