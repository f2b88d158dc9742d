namespace Wisp.Hosting.Entries;

/// <summary>
/// A <c>process.dotnet</c> entry made in code: its body is a delegate (a lambda, a method group) rather than a method a
/// file names, bound as a <see cref="DotnetProcessEntry"/>'s method is: its first parameter takes the
/// <see cref="ProcessContext"/>, the others the spawn arguments; whatever it returns is the exit value.
/// <see cref="Entry.Location"/> says where it was made (the line that added it), for load errors.
/// </summary>
public sealed record CodeProcessEntry : Entry
{
    /// <exception cref="ArgumentException">The delegate's first parameter does not take a ProcessContext.</exception>
    public CodeProcessEntry(EntryId id, Delegate body, SourceLocation location, IReadOnlyDictionary<string, object?>? meta = null)
        : base(id, DotnetProcessEntry.KindName, meta ?? System.Collections.ObjectModel.ReadOnlyDictionary<string, object?>.Empty, location)
    {
        var parameters = body.GetType().GetMethod("Invoke")!.GetParameters();
        if (parameters.Length == 0 || parameters[0].ParameterType != typeof(ProcessContext))
            throw new ArgumentException($"the body of {id} must take a ProcessContext as its first parameter", nameof(body));
        Body = body;
    }

    public Delegate Body { get; }

    public override bool Runs => true;
}
