using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Wisp.Hosting;
using Wisp.Hosting.Entries;

namespace Wisp.Extensions.Hosting;

/// <summary>
/// What a .NET host's node runs besides its entry files: entries made in code, the assemblies that hold the types of
/// <c>process.dotnet</c> entries, process kinds of other layers (Lua). <c>AddWisp</c> returns it; every call of
/// <c>AddWisp</c> on one service collection returns the same builder. Entries made here join the files' entries as if
/// written there (each may name the other's; an id defined twice is an error), and a load error about one names the
/// line of code that added it.
/// </summary>
public sealed class WispBuilder
{
    private static readonly IReadOnlyDictionary<string, object?> NoMeta = System.Collections.ObjectModel.ReadOnlyDictionary<string, object?>.Empty;

    private readonly List<Entry> _entries = [];
    private readonly List<Assembly> _assemblies = [];
    private readonly List<Func<IServiceProvider, IProcessKind>> _processKinds = [];

    internal WispBuilder(IServiceCollection services) => Services = services;

    public IServiceCollection Services { get; }

    internal IReadOnlyList<Entry> Entries => _entries;
    internal IReadOnlyList<Assembly> Assemblies => _assemblies;
    internal IReadOnlyList<Func<IServiceProvider, IProcessKind>> ProcessKinds => _processKinds;

    /// <summary>Adds any entry made in code (a <see cref="DataEntry"/>, a host with its lifecycle, …).</summary>
    public WispBuilder AddEntry(Entry entry)
    {
        _entries.Add(entry);
        return this;
    }

    /// <summary>
    /// A C# process entry whose body is <paramref name="body"/>: a lambda or a method group whose first parameter takes
    /// the <see cref="ProcessContext"/> and whose other parameters the spawn arguments, bound as a <c>process.dotnet</c>
    /// method's (a PID string to <see cref="Pid"/>, a missing argument to its default); what it returns is the exit value.
    /// </summary>
    /// <example><c>wisp.AddProcess("app:greeter", async (ProcessContext p, string name) => $"hello {name}")</c></example>
    public WispBuilder AddProcess(string id, Delegate body, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        AddEntry(new CodeProcessEntry(Id(id), body, new SourceLocation(file, line, 1)));

    /// <summary>A C# process entry whose body takes only the context (<c>p => …</c>); it reads no spawn arguments.</summary>
    public WispBuilder AddProcess(string id, ProcessBody body, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        AddProcess(id, (Delegate)body, file, line);

    /// <summary>A <c>process.host</c>: a pool that runs processes, as many at once as <paramref name="workers"/> if given.</summary>
    public WispBuilder AddHost(string id, int? workers = null, int? mailboxLimit = null,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (workers < 1) throw new ArgumentOutOfRangeException(nameof(workers), workers, "a host needs at least one worker");
        if (mailboxLimit < 1) throw new ArgumentOutOfRangeException(nameof(mailboxLimit), mailboxLimit, "a mailbox limit must be at least 1");
        return AddEntry(new ProcessHostEntry(Id(id), NoMeta, new SourceLocation(file, line, 1), Lifecycle.Default, workers, mailboxLimit));
    }

    /// <summary>
    /// A <c>process.service</c>: keeps one process of entry <paramref name="process"/> running on <paramref name="host"/>,
    /// spawned with <paramref name="input"/> as its arguments. Unlike a file's service, which starts only with
    /// <c>auto_start: true</c>, one made here starts with the node unless <paramref name="lifecycle"/> says otherwise
    /// (its default: <see cref="Lifecycle.Default"/> with <see cref="Lifecycle.AutoStart"/>).
    /// </summary>
    public WispBuilder AddService(string id, string process, string host, IReadOnlyList<object?>? input = null, Lifecycle? lifecycle = null,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        AddEntry(new ProcessServiceEntry(Id(id), NoMeta, new SourceLocation(file, line, 1), Id(process), Id(host), input ?? [],
            lifecycle ?? Lifecycle.Default with { AutoStart = true }));

    /// <summary>An assembly where the types that <c>process.dotnet</c> entries of the files name are looked up (after the program's entry assembly).</summary>
    public WispBuilder AddAssembly(Assembly assembly)
    {
        _assemblies.Add(assembly);
        return this;
    }

    /// <summary>A process kind of another layer, made once per node: <c>AddProcessKind(_ => new LuaRuntime())</c> runs <c>process.lua</c> entries.</summary>
    public WispBuilder AddProcessKind(Func<IServiceProvider, IProcessKind> kind)
    {
        _processKinds.Add(kind);
        return this;
    }

    private static EntryId Id(string text, [CallerArgumentExpression(nameof(text))] string parameter = "") =>
        EntryId.TryParse(text, out var id) ? id : throw new ArgumentException($"'{text}' is not an entry id (namespace:name)", parameter);
}
