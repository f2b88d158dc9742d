using System.Diagnostics.Metrics;
using System.Reflection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Wisp.Hosting.Entries;

namespace Wisp.Hosting;

/// <summary>What a runtime is booted from.</summary>
public sealed record WispRuntimeOptions
{
    /// <summary>The folder scanned for entry files (<c>src/</c>); null: no files, only the <see cref="Entries"/> made in code.</summary>
    public string? SourceDirectory { get; init; }

    /// <summary>
    /// Entries made in code (<see cref="CodeProcessEntry"/>, hosts, services), added to the files' entries: each may name
    /// the other's, references are checked as the files' are, and an id defined twice is an error.
    /// <see cref="Overrides"/> change the files' entries only.
    /// </summary>
    public IReadOnlyList<Entry> Entries { get; init; } = [];

    /// <summary>Where <c>process.dotnet</c> types are looked up (then in the entry's <c>assembly</c>, then by assembly-qualified name).</summary>
    public IReadOnlyList<Assembly> Assemblies { get; init; } = [];

    /// <summary>The process kinds other layers add (the Lua runtime); the runtime disposes them after its shutdown.</summary>
    public IReadOnlyList<IProcessKind> ProcessKinds { get; init; } = [];

    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>Makes the node's meter (<see cref="NodeOptions.MeterFactory"/>): a .NET host's, so that its listeners own it; null: the node's own.</summary>
    public IMeterFactory? MeterFactory { get; init; }

    public TextReader Input { get; init; } = Console.In;
    public TextWriter Output { get; init; } = Console.Out;
    public TextWriter Error { get; init; } = Console.Error;
    public bool Colors { get; init; }

    /// <summary>The command-line arguments for the process the terminal runs (<c>run -x ENTRY ARGS...</c>): its <c>io.args()</c>.</summary>
    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>How long a host waits, at shutdown, for its processes to honour CANCEL before terminating them.</summary>
    public TimeSpan HostStopTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public Random Random { get; init; } = new();

    /// <summary>The node's clock: its timers, sleeps and <c>Now</c>, so supervisors' backoff too (a fake one in tests).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The node's name in PIDs (<c>{node@host|id}</c>); empty for a standalone node.</summary>
    public string NodeName { get; init; } = "";

    /// <summary>The node's incarnation (see <see cref="NodeOptions.Creation"/>); 0 for a standalone node.</summary>
    public uint Creation { get; init; }

    /// <summary>The scope of a name registered without one (LOCAL; a clustered node may make it EVENTUAL, say).</summary>
    public RegistryScope DefaultScope { get; init; } = RegistryScope.Local;

    /// <summary>Changes to entry fields made before the entries are read (<c>-o ns:entry:field=value</c>).</summary>
    public IReadOnlyList<EntryOverride> Overrides { get; init; } = [];

    /// <summary>What other layers add around the node (the cluster), started before the services and stopped after the hosts.</summary>
    public IReadOnlyList<INodeExtension> Extensions { get; init; } = [];

    /// <summary>Makes each host's scheduler (<see cref="NodeOptions.SchedulerFactory"/>); null: the node's default.</summary>
    public Func<HostOptions, IWorkScheduler>? SchedulerFactory { get; init; }
}

/// <summary>
/// A node booted from entry files: every host entry becomes a host (plus the control host for
/// supervisors), <c>process.service</c> entries with <c>auto_start</c> (and the services they require) start in
/// dependency order, and <see cref="RunAsync"/> runs one process on a terminal host, the way
/// <c>run -x host/entry</c> does, then shuts everything down.
///
/// Shutdown order: services in reverse dependency order (each supervisor sends CANCEL "service stopping"
/// and waits up to stop_timeout), then hosts (CANCEL "scheduler shutdown", then terminate after
/// <see cref="WispRuntimeOptions.HostStopTimeout"/>), then extensions and process kinds; last, the runtime disposes
/// the <see cref="Node"/> it made (its meter, unless a <see cref="WispRuntimeOptions.MeterFactory"/> owns that).
/// </summary>
public sealed class WispRuntime : IAsyncDisposable, IDisposable
{
    private readonly WispRuntimeOptions _options;
    private readonly ILogger _logger;
    private readonly List<List<ProcessServiceEntry>> _serviceLevels;
    private readonly Dictionary<EntryId, (Supervisor Supervisor, Pid Pid)> _services = [];   // written at start; read under its lock
    private readonly Lazy<Task> _shutdown;
    private readonly LogGate _logs;

    private WispRuntime(WispRuntimeOptions options, EntrySet entries)
    {
        _options = options;
        Entries = entries;
        _logs = new LogGate(options.LoggerFactory);
        _logger = _logs.CreateLogger("wisp.runtime");
        _shutdown = new Lazy<Task>(StopAsync);
        _serviceLevels = ServiceOrder.Levels(entries);
        Node = new Node(new NodeOptions
        {
            Name = options.NodeName,
            Creation = options.Creation,
            DefaultScope = options.DefaultScope,
            Time = options.Time,
            LoggerFactory = _logs,
            MeterFactory = options.MeterFactory,
            SchedulerFactory = options.SchedulerFactory,
            Catalog = new EntryCatalog(entries, options.Assemblies, options.ProcessKinds),
        });
        Functions = new Functions(Node, entries);
        EntryRegistry = new EntryRegistry(entries);
        Node.AddHost(Supervisor.ControlHost);
        foreach (var host in entries.OfType<ProcessHostEntry>())
            Offer(Node.AddHost(host.Id.ToString(), new HostOptions
            {
                Workers = host.Workers, MailboxLimit = host.MailboxLimit, ProcessMemoryLimit = host.MemoryLimit,
            }));
        foreach (var host in entries.OfType<TerminalHostEntry>())
            Offer(Node.AddHost(host.Id.ToString(), new HostOptions { Workers = 1 }))
                .SetFeature(new Terminal(options.Input, options.Output, options.Error, options.Colors, options.Args));
    }

    /// <summary>The node's services every host offers its processes.</summary>
    private Host Offer(Host host)
    {
        host.SetFeature(Functions);
        host.SetFeature(Events);
        host.SetFeature(EntryRegistry);
        return host;
    }

    public Node Node { get; }
    public EntrySet Entries { get; }

    /// <summary>Calls of entries as functions, from outside processes (processes get it as a host feature).</summary>
    public Functions Functions { get; }

    /// <summary>The entries as a versioned registry that code can query and change (processes get it as a host feature).</summary>
    public EntryRegistry EntryRegistry { get; }

    /// <summary>The node's event bus (processes get it as a host feature).</summary>
    public EventBus Events { get; } = new();

    /// <summary>Loads the entries (throws <see cref="EntryLoadException"/> on a bad file or reference) and builds the node.</summary>
    public static WispRuntime Load(WispRuntimeOptions options) =>
        new(options, EntryLoader.Load(options.SourceDirectory, options.Entries, options.Overrides));

    /// <summary>The supervisor of a started service, or null.</summary>
    public Supervisor? Service(string id) =>
        EntryId.TryParse(id, out var entryId) && TryGetService(entryId, out var s) ? s.Supervisor : null;

    /// <summary>The services started so far, in the order they started (for a live view such as <c>wisp top</c>).</summary>
    public IReadOnlyList<ServiceInfo> InspectServices()
    {
        lock (_services)
            return [.. _services.Values.Select(static s => new ServiceInfo(
                s.Supervisor.Id, s.Supervisor.State, s.Supervisor.Child, s.Pid, Math.Max(0, s.Supervisor.Runs - 1), s.Supervisor.StartError))];
    }

    private bool TryGetService(EntryId id, out (Supervisor Supervisor, Pid Pid) service)
    {
        lock (_services) return _services.TryGetValue(id, out service);
    }

    /// <summary>
    /// Starts the auto-start services, level by level: a service starts once what it requires runs. A service
    /// that does not start (its process cannot be spawned, or <c>start_timeout</c> passes), or that requires one
    /// that did not, is logged; if it is <c>startup: required</c> (the default) the boot stops after its level
    /// with <see cref="ErrorKind.Unavailable"/>, if it is <c>startup: optional</c> the node runs without it.
    /// After a failed boot the services that did start still run: <see cref="ShutdownAsync()"/> stops them
    /// (<see cref="RunAsync"/> does).
    /// </summary>
    public async Task StartAsync()
    {
        await StartExtensions();
        var missing = new HashSet<EntryId>();
        foreach (var level in _serviceLevels)
        {
            var starting = new List<Task<string?>>();
            foreach (var entry in level)
            {
                var absent = entry.Lifecycle.Requires.Where(missing.Contains).ToList();
                if (absent.Count > 0)
                {
                    starting.Add(Task.FromResult<string?>(Missing(entry, $"{entry.Id}: requires {string.Join(", ", absent)}, which did not start")));
                    continue;
                }
                var supervisor = new Supervisor(entry, _options.Random);
                var started = (supervisor, supervisor.Start(Node));
                lock (_services) _services[entry.Id] = started;
                starting.Add(WaitStarted(supervisor, entry));
            }
            var problems = await Task.WhenAll(starting);
            var required = new List<string>();
            for (int i = 0; i < level.Count; i++)
            {
                if (problems[i] is not { } problem) continue;
                missing.Add(level[i].Id);
                if (!level[i].Lifecycle.Optional) required.Add(problem);
            }
            if (required.Count > 0)
                throw new WispException(ErrorKind.Unavailable, $"required service did not start: {string.Join("; ", required)}");
        }
    }

    private int _extensionsStarted;   // how many extensions started (their stop runs for those alone)

    private async Task StartExtensions()
    {
        if (_extensionsStarted > 0) return;
        foreach (var extension in _options.Extensions)
        {
            await extension.StartAsync(this, CancellationToken.None);
            _extensionsStarted++;
        }
    }

    /// <summary>Null once the service runs; else why it did not start (logged).</summary>
    private async Task<string?> WaitStarted(Supervisor supervisor, ProcessServiceEntry entry)
    {
        var timeout = entry.Lifecycle.StartTimeout;
        try
        {
            // WaitAsync takes at most ~49 days; a longer start_timeout means "wait as long as it takes".
            await supervisor.Started.WaitAsync(timeout.TotalMilliseconds < uint.MaxValue - 1 ? timeout : Timeout.InfiniteTimeSpan);
            return supervisor.StartError is { } error ? Missing(entry, $"{supervisor.Id}: {error}") : null;
        }
        catch (TimeoutException)
        {
            return Missing(entry, $"{supervisor.Id}: not running after start_timeout ({timeout.TotalSeconds:0.###}s)");
        }
    }

    private string Missing(ProcessServiceEntry entry, string problem)
    {
        if (entry.Lifecycle.Optional) _logger.LogWarning("optional service did not start, running without it: {problem}", problem);
        else _logger.LogError("required service did not start: {problem}", problem);
        return problem;
    }

    /// <summary>
    /// Runs <paramref name="target"/> (<c>host/entry</c>, or <c>entry</c> with the single terminal host) bound to
    /// the terminal, waits for it, and returns the exit code it sets. <paramref name="interrupt"/> (Ctrl+C)
    /// terminates it and yields 130. The runtime is shut down before this returns.
    /// </summary>
    public async Task<int> RunAsync(string target, CancellationToken interrupt = default)
    {
        try
        {
            var (host, entry) = ResolveTarget(target);
            await StartAsync();
            if (Entries.TryGet<TerminalHostEntry>(host, out var terminal) && terminal.HideLogs) _logs.Close();
            var (pid, exit) = Node.SpawnWatched(entry.ToString(), host.ToString());
            await Task.WhenAny(exit, Task.Delay(Timeout.Infinite, interrupt));
            _logs.Open();   // the terminal's process has ended, or is being stopped: the logs come back
            if (!exit.IsCompleted)
            {
                _logger.LogInformation("interrupted: stopping {pid}", pid);
                Node.TryTerminate(pid);
                await exit;
                return 130;
            }
            return TerminalExit.Code(await exit, _options.Output, _options.Error);
        }
        catch (WispException e)
        {
            _options.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        finally
        {
            _logs.Open();   // also when the spawn itself failed: shutdown's logs must get through
            await ShutdownAsync();
        }
    }

    /// <summary>
    /// Boots the auto-start services and runs until <paramref name="stop"/> is cancelled (a signal), then shuts down:
    /// 0, or 1 with the error printed when a required service did not start.
    /// </summary>
    public async Task<int> ServeAsync(CancellationToken stop)
    {
        try
        {
            await StartAsync();
            _logger.LogInformation("node running ({count} services); Ctrl+C stops it", InspectServices().Count);
            await Task.Delay(Timeout.Infinite, stop);
            return 0;
        }
        catch (OperationCanceledException)
        {
            _logger.LogInformation("stopping");
            return 0;
        }
        catch (WispException e)
        {
            _options.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        finally
        {
            await ShutdownAsync();
        }
    }

    /// <summary>The entry whose <c>meta.command.name</c> is <paramref name="name"/> (what <c>wisp run NAME</c> runs), or null.</summary>
    public EntryId? FindCommand(string name) => Entries.All
        .FirstOrDefault(e => e.Meta.GetValueOrDefault("command") is IReadOnlyDictionary<string, object?> command
            && command.GetValueOrDefault("name") as string == name)?.Id;

    private (EntryId Host, EntryId Entry) ResolveTarget(string target)
    {
        int slash = target.IndexOf('/');
        string entryText = slash >= 0 ? target[(slash + 1)..] : target;
        if (!EntryId.TryParse(entryText, out var entry))
            throw new WispException(ErrorKind.Invalid, $"invalid entry id '{entryText}' (expected namespace:name)");
        var found = Entries.Find(entry) ?? throw new WispException(ErrorKind.NotFound, $"entry not found: {entry}");
        if (!found.Runs)
            throw new WispException(ErrorKind.Invalid, $"entry {entry} is a {found.Kind}, not a process or a function");

        if (slash >= 0)
        {
            if (!EntryId.TryParse(target[..slash], out var host))
                throw new WispException(ErrorKind.Invalid, $"invalid host id '{target[..slash]}' (expected namespace:name)");
            if (!Entries.TryGet<TerminalHostEntry>(host, out _))
                throw new WispException(ErrorKind.NotFound, Entries.Find(host) is { } other
                    ? $"{host} is a {other.Kind}: run -x needs a terminal.host"
                    : $"host not found: {host}");
            return (host, entry);
        }
        var terminals = Entries.OfType<TerminalHostEntry>().ToList();
        return terminals.Count switch
        {
            1 => (terminals[0].Id, entry),
            0 => throw new WispException(ErrorKind.NotFound, "no terminal.host found in registry"),
            _ => throw new WispException(ErrorKind.Invalid,
                $"multiple terminal hosts found ({string.Join(", ", terminals.Select(t => t.Id))}), use host/entry to specify"),
        };
    }

    /// <summary>Stops services (reverse dependency order), then hosts, then disposes the node. Every call waits for the one shutdown.</summary>
    public Task ShutdownAsync() => _shutdown.Value;

    /// <summary>
    /// <see cref="ShutdownAsync()"/> that must end sooner: once <paramref name="hurry"/> is cancelled (a .NET host's
    /// shutdown timeout has passed), every process still running is terminated instead of waited for, supervisors
    /// included so nothing restarts, and the shutdown's remaining steps find nothing to wait for.
    /// </summary>
    public async Task ShutdownAsync(CancellationToken hurry)
    {
        var shutdown = ShutdownAsync();
        using (hurry.Register(TerminateAll)) await shutdown;
    }

    private void TerminateAll()
    {
        _logger.LogWarning("shutdown hurried: terminating every process still running");
        // The control host's supervisors go first, so that none restarts a child terminated after it.
        foreach (var host in HostIds.Reverse())
            foreach (var pid in Node.ProcessesOn(host))
                Node.TryTerminate(pid);
    }

    /// <summary>Every host of the node: terminals, process hosts, then the supervisors' control host.</summary>
    private IEnumerable<string> HostIds => Entries.OfType<TerminalHostEntry>().Select(h => h.Id.ToString())
        .Concat(Entries.OfType<ProcessHostEntry>().Select(h => h.Id.ToString()))
        .Append(Supervisor.ControlHost);

    private async Task StopAsync()
    {
        for (int level = _serviceLevels.Count - 1; level >= 0; level--)
        {
            var stopping = new List<Task>();
            foreach (var entry in _serviceLevels[level])
            {
                if (!TryGetService(entry.Id, out var service)) continue;
                try
                {
                    stopping.Add(Node.WhenExited(service.Pid));
                    Node.Cancel(service.Pid, "runtime stopping");
                }
                catch (WispException e) when (e.Kind == ErrorKind.NotFound) { }   // the supervisor has ended
            }
            await Task.WhenAll(stopping);
        }
        await Task.WhenAll(HostIds.Select(h => Node.StopHostAsync(h, _options.HostStopTimeout)));
        for (int i = _extensionsStarted - 1; i >= 0; i--) await _options.Extensions[i].StopAsync();
        foreach (var kind in _options.ProcessKinds)
        {
            if (kind is IAsyncDisposable asyncDisposable) await asyncDisposable.DisposeAsync();
            else if (kind is IDisposable disposable) disposable.Dispose();
        }
        Node.Dispose();
    }

    public ValueTask DisposeAsync() => new(ShutdownAsync());

    /// <summary>Shuts down and blocks until done, for owners that dispose synchronously (a DI container's Dispose); prefer <see cref="DisposeAsync"/>.</summary>
    public void Dispose() => ShutdownAsync().GetAwaiter().GetResult();
}
