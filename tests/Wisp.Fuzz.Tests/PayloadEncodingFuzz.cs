using CsCheck;

namespace Wisp.Fuzz;

/// <summary>
/// The binary payload codec (PayloadEncoding, the MessagePack form of the neutral model that Lua's msgpack payloads
/// and the cluster use): any bytes decode to a neutral value or an Invalid error that names the payload, within an
/// allocation bounded by the input; a decoded value encodes back to itself; generated values round-trip.
/// </summary>
public sealed class PayloadEncodingFuzz
{
    private static readonly byte[][] Tokens =
    [
        [0xdd, 0xff, 0xff, 0xff, 0xff],                 // array32 of 4G items
        [0xdf, 0x7f, 0xff, 0xff, 0xff],                 // map32 of 2G entries
        [0xdb, 0xff, 0xff, 0xff, 0xf0],                 // str32 of 4G bytes
        [0xc6, 0x7f, 0xff, 0xff, 0xff],                 // bin32 of 2G bytes
        [0xc9, 0xff, 0xff, 0xff, 0xff, 0x01],           // ext32 (a PID) of 4G bytes
        [0xc7, 0x04, 0x03, 0x00, 0x00, 0x00, 0x01],     // a PID with a creation and no text
        [0xd4, 0x02, 0x90],                             // an error extension holding an empty array
        [0xd5, 0x04, 0x92, 0xa0],                       // an encoded payload without its data
        [0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
        [0xc1],                                         // the code MessagePack never uses
        [0xd6, 0xff, 0x00, 0x00, 0x00, 0x00],           // a timestamp: an unknown extension
        [.. Enumerable.Repeat((byte)0x91, 300), 0xc0],  // arrays nested 300 deep
        [.. Enumerable.Repeat((byte)0x81, 150).SelectMany(_ => new byte[] { 0x81, 0xa1, 0x6b }), 0xc0],
    ];

    internal static readonly FuzzTarget Target = new FuzzTarget<byte[]>("payload",
        inputsOf: file => [Corpus.Binary(file)],
        read: bytes => Decode(bytes).Error is null,
        mutate: seeds => Mutations.OfBytes(seeds, Tokens),
        random: Gen.Byte.Array[0, 64],
        print: Corpus.Hex);

    [Fact]
    public void Generated_values_round_trip() =>
        FuzzRun.Check(PayloadValues.Values, value =>
        {
            var decoded = PayloadEncoding.Decode(PayloadEncoding.Encode(value));
            Assert.True(PayloadEquality.Equal(value, decoded), $"{PayloadText.Format(value)} came back as {PayloadText.Format(decoded)}");
        }, PayloadText.Format);

    /// <summary>Decodes under the shared property; a value must be neutral and encode to bytes that decode to an equal value.</summary>
    private static (object? Value, WispException? Error) Decode(byte[] bytes)
    {
        var outcome = Expect.ValueOrError<object?, WispException>(Corpus.Hex(bytes), () => PayloadEncoding.Decode(bytes), error =>
        {
            Assert.Equal(ErrorKind.Invalid, error.Kind);
            Assert.StartsWith("payload", error.Message);
        }, Expect.AllocationBound(bytes.Length));
        if (outcome.Error is not null) return outcome;
        var value = outcome.Value;
        Assert.True(PayloadEquality.IsNeutral(value), $"{Corpus.Hex(bytes)} decoded to a value outside the model: {PayloadText.Format(value)}");
        var again = PayloadEncoding.Decode(PayloadEncoding.Encode(value));
        Assert.True(PayloadEquality.Equal(value, again), $"{Corpus.Hex(bytes)}: {PayloadText.Format(value)} re-encoded came back as {PayloadText.Format(again)}");
        return outcome;
    }
}
