using CsCheck;

namespace Wisp.Fuzz;

/// <summary>
/// The PID text form (Pid.TryParse, Pid.Parse, its formatting): TryParse never throws; Parse gives TryParse's PID or
/// throws the Invalid "invalid pid format" error; a parsed PID formats to text that parses to it again; generated
/// valid PIDs round-trip through their text, in chars and in UTF-8, into buffers of any size.
/// </summary>
public sealed class PidFuzz
{
    private static readonly string[] Tokens =
        ["{", "}", "|", "@", ":", "0x", "0X", "0x0", "00000", "ffffffffffffffff", "10000000000000000", "-", "+", " ", "\0", "{|}", "|0x00001}", "٣", "ｆ"];

    /// <summary>A seed file holds one PID a line; each formats back to its text.</summary>
    internal static readonly FuzzTarget Target = new FuzzTarget<string>("pid",
        inputsOf: file => Corpus.Text(file).Split('\n').Where(line => line.Length > 0),
        read: Parse,
        mutate: seeds => Mutations.OfText(seeds, Tokens),
        random: Gen.String,
        checkSeed: text => Assert.Equal(text, Pid.Parse(text).ToString()));

    [Fact]
    public void Generated_pids_round_trip_through_their_text() =>
        FuzzRun.Check(Gen.Select(PayloadValues.Pids, Gen.Int[0, 80]), sample =>
        {
            var (pid, size) = sample;
            var text = pid.ToString();
            Assert.True(Pid.TryParse(text, out var parsed), text);
            Assert.Equal(pid, parsed);
            Assert.Equal(pid, Pid.Parse(text));

            var chars = new char[size];
            if (pid.TryFormat(chars, out int written, default, null)) Assert.Equal(text, new string(chars, 0, written));
            else Assert.True(size < text.Length, $"{text} did not fit {size} chars");
            var bytes = new byte[size];
            if (pid.TryFormat(bytes, out written, default, null)) Assert.Equal(text, System.Text.Encoding.UTF8.GetString(bytes, 0, written));
            else Assert.True(size < System.Text.Encoding.UTF8.GetByteCount(text), $"{text} did not fit {size} bytes");
        });

    /// <summary>True when <paramref name="text"/> parses, false when it is refused with the documented error.</summary>
    private static bool Parse(string text)
    {
        bool ok = Pid.TryParse(text, out _);   // any exception fails the property
        var (parsed, _) = Expect.ValueOrError<Pid?, WispException>(text, () => Pid.Parse(text), error =>
        {
            Assert.False(ok, $"Parse refused '{text}', which TryParse takes");
            Assert.Equal(ErrorKind.Invalid, error.Kind);
            Assert.Equal($"invalid pid format: '{text}'", error.Message);
        });
        if (parsed is not { } pid) return false;
        Assert.True(ok, $"Parse took '{text}', which TryParse refuses");
        Assert.True(Pid.TryParse(pid.ToString(), out var again) && again == pid, $"'{text}' parsed to {pid}, whose text does not parse back to it");
        return true;
    }
}
