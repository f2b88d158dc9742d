namespace Wisp;

/// <summary>The body of a process: its main function. Arguments are in <see cref="ProcessContext.Args"/>.</summary>
public delegate Task<object?> ProcessBody(ProcessContext process);

/// <summary>
/// What can be spawned under an entry id: checks the spawn arguments (errors go to the spawner) and runs the
/// main function. The hosting layer makes one per entry (C#, Lua); tests make them from lambdas.
/// </summary>
public abstract class ProcessDefinition(string id)
{
    public string Id { get; } = id;

    /// <summary>What runs the process (<c>dotnet</c>, <c>lua</c>): the tag <c>wisp.kind</c> of its metrics. A constant per definition type.</summary>
    public virtual string Kind => "dotnet";

    /// <summary>
    /// Checks (and may convert) the spawn arguments before the process exists, so that a wrong call fails in
    /// the spawner: throws a <see cref="WispException"/> when they cannot start this process.
    /// </summary>
    public virtual object?[] PrepareArguments(object?[] args) => args;

    /// <summary>
    /// The scheduler that runs the process spawned as <paramref name="pid"/> on <paramref name="host"/>, for its
    /// whole life; by default the host's. A definition whose processes must stay on one thread at a time with
    /// some state of theirs (a Lua state shared by several processes) gives a scheduler that serialises them.
    /// </summary>
    public virtual IWorkScheduler SchedulerFor(Host host, Pid pid) => host.Scheduler;

    /// <summary>Runs main on the process's loop; the returned value is the exit value (a <see cref="ProcessError"/> is an error exit).</summary>
    public abstract Task<object?> Run(ProcessContext process, object?[] args);

    /// <summary>A definition from a delegate.</summary>
    public static ProcessDefinition FromBody(string id, ProcessBody body) => new BodyDefinition(id, body);

    private sealed class BodyDefinition(string id, ProcessBody body) : ProcessDefinition(id)
    {
        public override Task<object?> Run(ProcessContext process, object?[] args) => body(process);
    }
}

/// <summary>Finds the definition of an entry id; the hosting layer implements it over loaded entries.</summary>
public interface IProcessCatalog
{
    ProcessDefinition? Find(string entryId);
}

/// <summary>A catalog of definitions added in code.</summary>
public sealed class ProcessCatalog : IProcessCatalog
{
    private readonly Dictionary<string, ProcessDefinition> _definitions = new(StringComparer.Ordinal);

    public ProcessCatalog Add(ProcessDefinition definition)
    {
        _definitions[definition.Id] = definition;
        return this;
    }

    public ProcessCatalog Add(string id, ProcessBody body) => Add(ProcessDefinition.FromBody(id, body));

    public ProcessDefinition? Find(string entryId) => _definitions.GetValueOrDefault(entryId);
}
