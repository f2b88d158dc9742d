namespace Wisp.Fuzz;

/// <summary>
/// The checks every reader of untrusted input shares, each one theory over the targets (the target-specific
/// properties, such as round trips, are in each target's class): its seeds read, its regressions are refused with the
/// documented error, and mutations of its seeds and random inputs read or are refused with it.
/// </summary>
public sealed class ReaderFuzz
{
    private static readonly IReadOnlyList<FuzzTarget> Targets =
        [EntryLoaderFuzz.Target, PidFuzz.Target, PayloadEncodingFuzz.Target, WireFormatFuzz.Target];

    public static TheoryData<string> Seeds => Files("seeds");
    public static TheoryData<string> Regressions => Files("regressions");
    public static TheoryData<string> All => [.. Targets.Select(target => target.Name)];
    public static TheoryData<string> WithRandomInputs => [.. Targets.Where(target => target.HasRandomInputs).Select(target => target.Name)];

    [Theory, MemberData(nameof(Seeds))]
    public void Seeds_read(string file) => Of(file).CheckSeed(file);

    [Theory, MemberData(nameof(Regressions))]
    public void Regressions_are_refused_with_the_documented_error(string file) => Of(file).CheckRegression(file);

    [Theory, MemberData(nameof(All))]
    public void Mutated_inputs_read_or_are_refused_with_the_documented_error(string target) => Named(target).CheckMutated();

    [Theory, MemberData(nameof(WithRandomInputs))]
    public void Random_inputs_read_or_are_refused_with_the_documented_error(string target) => Named(target).CheckRandom();

    private static TheoryData<string> Files(string kind) =>
        [.. Targets.SelectMany(target => Corpus.Cases(target.Name, kind))];

    /// <summary>The target of a corpus file: its first folder.</summary>
    private static FuzzTarget Of(string file) => Named(file.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)[0]);

    private static FuzzTarget Named(string name) => Targets.Single(target => target.Name == name);
}
