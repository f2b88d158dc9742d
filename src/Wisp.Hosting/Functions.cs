using Wisp.Hosting.Entries;

namespace Wisp.Hosting;

/// <summary>
/// Entries called as functions (the reference's <c>funcs</c>). A call runs the entry as a process of its own, so
/// the function has a PID, a fresh mailbox, events, names and links like any process, on the host its
/// <c>meta.default_host</c> names, else the caller's; its result is what the entry's main returns: the exit value,
/// or the error. Any entry that runs can be called (<c>function.lua</c>, <c>process.lua</c>, <c>process.dotnet</c>).
/// Every host offers it to its processes as a feature (<c>p.Feature&lt;Functions&gt;()</c>); the runtime offers it
/// to code outside processes (<see cref="WispRuntime.Functions"/>).
/// A call is not tied to its caller: if the caller ends first, the function still runs to its end.
/// </summary>
public sealed class Functions
{
    private readonly Node _node;
    private readonly EntrySet _entries;

    internal Functions(Node node, EntrySet entries)
    {
        _node = node;
        _entries = entries;
    }

    /// <summary>
    /// Starts a call of <paramref name="target"/> (<c>namespace:name</c>) on behalf of a process of
    /// <paramref name="callerHost"/> (null from outside processes: then the node's only process host, unless the
    /// entry names its own): the function's PID and its result to come. Throws <see cref="WispException"/> when it
    /// cannot start (a malformed target, an unknown entry, an entry that does not run, a bad host).
    /// </summary>
    public (Pid Pid, Task<ExitResult> Result) Start(string target, string? callerHost, params object?[] args) =>
        Start(target, callerHost, args, values: null);

    /// <summary><see cref="Start(string, string?, object?[])"/> with a request context the function reads (and passes on).</summary>
    public (Pid Pid, Task<ExitResult> Result) Start(string target, string? callerHost, object?[] args, IReadOnlyDictionary<string, object?>? values)
    {
        var entry = Find(target);
        return _node.SpawnWatched(entry.Id.ToString(), HostOf(entry) ?? callerHost ?? OnlyProcessHost(entry.Id), args, values);
    }

    /// <summary>
    /// Calls <paramref name="target"/> from outside any process: its result, or an error result when the call cannot
    /// start (the errors of <see cref="Start(string, string?, object?[])"/>).
    /// </summary>
    public Task<ExitResult> CallAsync(string target, params object?[] args)
    {
        try
        {
            return Start(target, callerHost: null, args).Result;
        }
        catch (WispException e)
        {
            return Task.FromResult(ExitResult.Failure(new ProcessError(e.Message, e.Kind)));
        }
    }

    /// <summary>The entry a target names, checked as the reference checks it (its messages).</summary>
    private Entry Find(string target)
    {
        if (string.IsNullOrEmpty(target)) throw new WispException(ErrorKind.Invalid, "target name is required");
        int colon = target.LastIndexOf(':');
        if (colon <= 0)
            throw new WispException(ErrorKind.Invalid, $"invalid registry ID: namespace is required, got empty namespace in ID: {target}");
        if (colon == target.Length - 1)
            throw new WispException(ErrorKind.Invalid, $"invalid registry ID: name is required, got empty name in ID: {target}");
        if (!EntryId.TryParse(target, out var id) || _entries.Find(id) is not { } entry)
            throw new WispException(ErrorKind.NotFound, $"function not found: {target}");
        if (!entry.Runs)
            throw new WispException(ErrorKind.Invalid, $"entry {id} is a {entry.Kind}, not a function or a process");
        return entry;
    }

    private static string? HostOf(Entry entry) => entry.Meta.GetValueOrDefault("default_host") as string;

    private string OnlyProcessHost(EntryId target)
    {
        var hosts = _entries.OfType<ProcessHostEntry>().ToList();
        return hosts.Count == 1
            ? hosts[0].Id.ToString()
            : throw new WispException(ErrorKind.Invalid,
                $"{target} has no meta.default_host and the node has {hosts.Count} process hosts: name one in the entry's meta.default_host");
    }
}
