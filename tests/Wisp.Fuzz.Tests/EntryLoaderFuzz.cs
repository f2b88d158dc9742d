using Wisp.Hosting.Entries;

namespace Wisp.Fuzz;

/// <summary>
/// The entry file loader (<c>_index.yaml</c>, EntryLoader): a mutated file gives entries or an EntryLoadException
/// that names the file, a line and a column (and the key, where one is at fault), never another exception: no
/// YamlDotNet exception, no NullReference, no FormatException from a scalar, no stack overflow from nesting or from
/// an alias that contains itself.
/// </summary>
internal static class EntryLoaderFuzz
{
    private const string FileName = "fuzz/_index.yaml";

    private static readonly string[] Tokens =
    [
        "&a ", "*a", "&a [*a]", "&a {k: *a}", "<<: *a", "!!str ", "!!binary ", "!!map ", "!!seq ", "!custom ", "? ", "[", "]", "{", "}",
        ", ", "- ", ": ", "|", ">-", "'", "\"", "\"\\0\"", "\"a\\0b\"", "\"\\ud800\"", "~", "null", "true", "0x", "0o", "0x7fffffffffffffffff",
        "1e999", ".nan", "-.inf", "-1", "0", "99999999999999999999", "٣MiB", "１MiB", "64MiB", "1.5GiB", "0B", "1h", "-5s", "1000h", "0s",
        "1.5µs", "file://", "file://../x.lua", "file://\0", "%YAML 1.2\n", "---\n", "...\n", "# c", "\t", "\r\n", "@", "`", "\uFEFF",
        new string('[', 200), new string('{', 200), string.Concat(Enumerable.Repeat("- ", 200)),
    ];

    /// <summary>A seed (an example's <c>_index.yaml</c>, the Lua tests' one, one with every kind and key) has entries.</summary>
    internal static readonly FuzzTarget Target = new FuzzTarget<string>("yaml",
        inputsOf: file => [Corpus.Text(file)],
        read: yaml => Load(yaml).Error is null,
        mutate: seeds => Mutations.OfText(seeds, Tokens),
        checkSeed: yaml => Assert.NotEmpty(EntryLoader.LoadText(FileName, yaml).All),
        print: Quote,
        iterations: Math.Max(1, FuzzRun.Iterations / 2));

    private static (EntrySet? Value, EntryLoadException? Error) Load(string yaml) =>
        Expect.ValueOrError<EntrySet, EntryLoadException>(Quote(yaml), () => EntryLoader.LoadText(FileName, yaml), error =>
        {
            Assert.Equal(FileName, error.File);
            Assert.StartsWith($"{FileName}:{error.Line}:{error.Column}: ", error.Message);
            Assert.True(error.Line >= 1 && error.Column >= 1, $"no line and column in: {error.Message}");
        });

    private static string Quote(string yaml) => System.Text.Json.JsonSerializer.Serialize(yaml);
}
