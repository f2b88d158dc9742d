namespace Wisp.Fuzz;

/// <summary>
/// The inputs kept in <c>corpus/&lt;target&gt;/</c>: <c>seeds/</c>, valid inputs the mutations start from (each must
/// read), and <c>regressions/</c>, invalid inputs (each must be refused with the documented error): those that once
/// broke a reader, and those at its limits (nesting, forged lengths), checked on every run. Binary inputs
/// are <c>.hex</c> files: hex digits, with whitespace and <c>#</c> comments ignored.
/// </summary>
internal static class Corpus
{
    private static string Root => Path.Combine(AppContext.BaseDirectory, "corpus");

    /// <summary>The files of one kind of one target, as paths relative to the corpus (the names a theory shows).</summary>
    public static IReadOnlyList<string> Cases(string target, string kind)
    {
        var directory = Path.Combine(Root, target, kind);
        return Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory).Select(file => Path.GetRelativePath(Root, file)).Order(StringComparer.Ordinal).ToArray()
            : [];
    }

    public static string Text(string relative) => File.ReadAllText(Path.Combine(Root, relative));

    public static byte[] Binary(string relative) => Bytes(Path.Combine(Root, relative));

    private static byte[] Bytes(string file)
    {
        if (!file.EndsWith(".hex", StringComparison.Ordinal)) return File.ReadAllBytes(file);
        var digits = string.Concat(File.ReadLines(file).Select(line => line.Split('#')[0]).SelectMany(line => line.Where(char.IsAsciiHexDigit)));
        return Convert.FromHexString(digits);
    }

    /// <summary>A binary input as the hex a corpus file holds, for failure messages.</summary>
    public static string Hex(byte[] bytes) => bytes.Length <= 512 ? Convert.ToHexString(bytes) : $"{Convert.ToHexString(bytes.AsSpan(0, 512))}… ({bytes.Length} bytes)";
}
