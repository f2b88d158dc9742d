using CsCheck;

namespace Wisp.Fuzz;

/// <summary>
/// A reader of untrusted input as the shared theories of <see cref="ReaderFuzz"/> see it: its corpus folder, and the
/// checks every reader gets (its seeds read, its regressions are refused, mutated and random inputs read or are refused,
/// each under the shared property of <see cref="Expect"/>).
/// </summary>
internal abstract class FuzzTarget(string name)
{
    /// <summary>The target's folder under <c>corpus/</c>.</summary>
    public string Name { get; } = name;

    public abstract bool HasRandomInputs { get; }

    /// <summary>Every input of the seed file <paramref name="file"/> reads to a value (and passes the target's seed check).</summary>
    public abstract void CheckSeed(string file);

    /// <summary>Every input of the regression file <paramref name="file"/> is refused with the documented error.</summary>
    public abstract void CheckRegression(string file);

    /// <summary>Mutations of the seeds read or are refused with the documented error.</summary>
    public abstract void CheckMutated();

    /// <summary>Random inputs read or are refused with the documented error.</summary>
    public abstract void CheckRandom();
}

/// <summary>A reader of inputs of type <typeparamref name="T"/>.</summary>
/// <param name="inputsOf">The inputs a corpus file (relative to the corpus) holds.</param>
/// <param name="read">Reads one input under the shared property: true for a value, false for the documented error.</param>
/// <param name="mutate">The mutations of the seeds' inputs.</param>
/// <param name="random">Random inputs, if the target has them.</param>
/// <param name="checkSeed">What a seed's input must show besides being read.</param>
/// <param name="print">How a failing input is shown.</param>
/// <param name="iterations">Inputs per pass, if not <see cref="FuzzRun.Iterations"/>.</param>
internal sealed class FuzzTarget<T>(
    string name,
    Func<string, IEnumerable<T>> inputsOf,
    Func<T, bool> read,
    Func<IReadOnlyList<T>, Gen<T>> mutate,
    Gen<T>? random = null,
    Action<T>? checkSeed = null,
    Func<T, string>? print = null,
    long? iterations = null) : FuzzTarget(name)
{
    public override bool HasRandomInputs => random is not null;

    public override void CheckSeed(string file)
    {
        foreach (var input in inputsOf(file))
        {
            Assert.True(read(input), $"the seed {file} is refused: {Show(input)}");
            checkSeed?.Invoke(input);
        }
    }

    public override void CheckRegression(string file)
    {
        foreach (var input in inputsOf(file)) Assert.False(read(input), $"the regression {file} is read: {Show(input)}");
    }

    public override void CheckMutated()
    {
        var seeds = Corpus.Cases(Name, "seeds").SelectMany(inputsOf).ToArray();
        FuzzRun.Check(mutate(seeds), input => read(input), print, iterations);
    }

    public override void CheckRandom() =>
        FuzzRun.Check(random ?? throw new InvalidOperationException($"{Name} has no random inputs"), input => read(input), print, iterations);

    private string Show(T input) => print?.Invoke(input) ?? $"{input}";
}
