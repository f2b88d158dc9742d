using System.Collections;
using System.Reflection;

namespace Wisp.SystematicTests.Harness;

/// <summary>A node with one host whose slices Coyote schedules; no timers are used (TimeProvider timers are not controlled).</summary>
internal sealed class TestNode
{
    public const string HostId = "app:processes";

    public TestNode(HostOptions? host = null)
    {
        Scheduler = new ControlledScheduler();
        Node = new Node(new NodeOptions { SchedulerFactory = _ => Scheduler });
        Node.AddHost(HostId, host);
    }

    public Node Node { get; }
    public ControlledScheduler Scheduler { get; }

    public Pid Spawn(ProcessBody body) => Node.Spawn(HostId, body);

    /// <summary>
    /// Spawns a process that waits for a "go" message before running <paramref name="body"/>, so that its exit
    /// can be awaited: <see cref="Node.WhenExited"/> throws "process not found" once the process has exited.
    /// </summary>
    public (Pid Pid, Task<ExitResult> Exited) SpawnGated(ProcessBody body)
    {
        var pid = Spawn(async p =>
        {
            var gate = p.Listen("go");
            await gate.Receive();
            p.Unlisten(gate);
            return await body(p);
        });
        var exited = Node.WhenExited(pid);
        Node.Send(pid, "go", null);
        return (pid, exited);
    }
}

/// <summary>
/// Reads Wisp.Core's internal topology through reflection, as these scenarios were written before Wisp.Core
/// granted this project its internals (the process table scenario uses them directly). Lists are copied under
/// the process's monitor, the lock that guards them.
/// </summary>
internal static class Internals
{
    private static readonly FieldInfo ContextProcess =
        typeof(ProcessContext).GetField("_owner", BindingFlags.NonPublic | BindingFlags.Instance)
        ?? throw new MissingFieldException(nameof(ProcessContext), "_owner");
    private static readonly Type ProcessType = typeof(Node).Assembly.GetType("Wisp.Process", throwOnError: true)!;
    private static readonly MethodInfo NodeResolve = typeof(Node).GetMethod("Resolve", BindingFlags.NonPublic | BindingFlags.Instance,
        [typeof(Pid)])!;

    /// <summary>The internal Process behind a context (valid after the process exits, unlike a PID lookup).</summary>
    public static object ProcessOf(ProcessContext context) => ContextProcess.GetValue(context)!;

    /// <summary>The internal Process of a live PID.</summary>
    public static object ProcessOf(Node node, Pid pid)
    {
        try
        {
            return NodeResolve.Invoke(node, [pid])!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }

    public static List<Pid> Monitors(object process)
    {
        lock (process)
        {
            var watchers = ProcessType.GetField("Monitors", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(process)!;   // a OneOrMany<Process>, boxed
            var all = (IEnumerable)watchers.GetType().GetProperty("All")!.GetValue(watchers)!;
            return [.. all.Cast<object>().Select(p => (Pid)ProcessType.GetProperty("Pid")!.GetValue(p)!)];
        }
    }

    public static List<Pid> Monitoring(object process) => Pids(process, "Monitoring");
    public static List<Pid> Links(object process) => Pids(process, "Links");

    public static List<string> Names(object process)
    {
        lock (process)
        {
            return ProcessType.GetField("Names", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(process) switch
            {
                string one => [one],
                IEnumerable<string> many => [.. many],
                null => [],
                var other => throw new InvalidOperationException($"Process.Names holds a {other.GetType()}: the harness needs updating"),
            };
        }
    }

    private static List<Pid> Pids(object process, string property)
    {
        lock (process)
        {
            var entries = ProcessType.GetProperty(property, BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(process);
            return entries switch
            {
                IDictionary d => d.Keys.Cast<Pid>().ToList(),   // by PID: a remote one has no process here
                null => [],
                _ => throw new InvalidOperationException($"Process.{property} is a {entries.GetType().Name}: teach the harness to read it"),
            };
        }
    }
}
