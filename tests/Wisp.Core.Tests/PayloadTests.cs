namespace Wisp.Tests;

/// <summary>The neutral payload model: C# values in and out (PayloadCodec), its text, and its binary form (PayloadEncoding).</summary>
public class PayloadTests
{
    public sealed record EchoRequest(Pid Sender, string Data);
    public sealed record Order(long OrderId, IReadOnlyList<string> Items, Status State, double? Discount = null);
    public enum Status { Open, InTransit }

    private static readonly Pid Sender = new("", "app:terminal", 7);

    [Fact]
    public void A_record_becomes_a_map_with_snake_case_keys_and_its_pid_stays_a_pid()
    {
        var map = Assert.IsType<PayloadMap>(PayloadCodec.ToNeutral(new Order(12, ["a", "b"], Status.InTransit)));
        Assert.Equal(12L, map["order_id"]);
        Assert.Equal(["a", "b"], Assert.IsType<PayloadList>(map["items"]));
        Assert.Equal("in_transit", map["state"]);
        Assert.Null(map["discount"]);

        var request = Assert.IsType<PayloadMap>(PayloadCodec.ToNeutral(new EchoRequest(Sender, "hi")));
        Assert.Equal(Sender, request["sender"]);   // Lua reads it as its string
    }

    [Theory]
    [InlineData(7, 7L)]
    [InlineData((short)-3, -3L)]
    [InlineData(2.5f, 2.5)]
    [InlineData('x', "x")]
    public void Numbers_become_longs_or_doubles(object value, object expected) => Assert.Equal(expected, PayloadCodec.ToNeutral(value));

    [Fact]
    public void A_map_is_read_as_a_record_whatever_the_case_of_its_keys()
    {
        var map = new PayloadMap([new("SENDER", "{app:terminal|0x00007}"), new("data", "hello")]);
        Assert.Equal(new EchoRequest(Sender, "hello"), PayloadCodec.Convert<EchoRequest>(map));
        var message = new Message("echo", Pid.None, map);
        Assert.Equal("hello", message.Payload<EchoRequest>().Data);
        Assert.Same(map, message.Payload<PayloadMap>());
    }

    [Fact]
    public void What_cannot_be_read_as_the_type_is_an_invalid_error_that_says_why()
    {
        var e = Assert.Throws<WispException>(() => PayloadCodec.Convert<int>(2.5));
        Assert.Equal(ErrorKind.Invalid, e.Kind);
        Assert.Contains("cannot be read as Int32", e.Message);

        var bad = new Message("echo", Pid.None, new PayloadMap([new("sender", "not a pid"), new("data", "x")]));
        var m = Assert.Throws<WispException>(() => bad.Payload<EchoRequest>());
        Assert.StartsWith("payload of message 'echo' is not a EchoRequest:", m.Message);
        Assert.Throws<WispException>(() => PayloadCodec.Convert<int>(null));
        Assert.Null(PayloadCodec.Convert<string>(null));
    }

    [Fact]
    public void A_payload_that_contains_itself_prints_but_cannot_be_read_or_encoded()
    {
        var map = new PayloadMap();
        map.Add("self", map);
        Assert.Equal("""{"self":"<cycle>"}""", map.ToString());
        Assert.Equal(ErrorKind.Invalid, Assert.Throws<WispException>(() => PayloadCodec.Convert<Dictionary<string, object>>(map)).Kind);
        Assert.Equal(ErrorKind.Invalid, Assert.Throws<WispException>(() => PayloadEncoding.Encode(map)).Kind);
    }

    [Fact]
    public void The_binary_form_round_trips_every_kind_of_value()
    {
        var inner = new PayloadMap();
        inner.Add("n", 42L);
        inner.Add("f", 42.0);
        inner.Add(1L, "first");
        inner.Add(2.5, true);
        inner.Add(false, null);
        var value = new PayloadList(
        [
            null, true, long.MinValue, -1.5, "héllo", new byte[] { 0, 255 }, Sender, inner,
            new ProcessError("boom", ErrorKind.NotFound, Retryable: false) { Details = new PayloadMap([new("id", 3L)]) },
        ]);
        var back = Assert.IsType<PayloadList>(PayloadEncoding.Decode(PayloadEncoding.Encode(value)));
        Assert.Equal(value.ToString(), back.ToString());
        Assert.Equal(Sender, back[6]);
        var map = Assert.IsType<PayloadMap>(back[7]);
        Assert.IsType<long>(map["n"]);    // an integer stays an integer,
        Assert.IsType<double>(map["f"]);  // a float stays a float
        Assert.Equal([1L, 2.5, false], map.Entries.Skip(2).Select(e => e.Key));
        var error = Assert.IsType<ProcessError>(back[8]);
        Assert.Equal(("boom", ErrorKind.NotFound, (bool?)false), (error.Message, error.Kind, error.Retryable));
        Assert.Equal(3L, Assert.IsType<PayloadMap>(error.Details)["id"]);
        Assert.Equal([0, 255], Assert.IsType<byte[]>(back[5]));
    }

    [Fact]
    public void An_encoded_payload_keeps_its_format_through_the_encoding_and_is_read_decoded()
    {
        var json = new EncodedPayload(EncodedPayload.Json, "{\"Sender\":\"{app:terminal|0x00007}\",\"data\":\"hi\"}"u8.ToArray());
        var yaml = new EncodedPayload(EncodedPayload.Yaml, "data: hi\n"u8.ToArray());
        var back = Assert.IsType<PayloadList>(PayloadEncoding.Decode(PayloadEncoding.Encode(new PayloadList([json, yaml]))));
        var sent = Assert.IsType<EncodedPayload>(back[0]);
        Assert.Equal(EncodedPayload.Json, sent.Format);
        Assert.Equal(json.Data, sent.Data);
        Assert.Equal(EncodedPayload.Yaml, Assert.IsType<EncodedPayload>(back[1]).Format);

        Assert.Equal(new EchoRequest(Sender, "hi"), new Message("echo", Pid.None, json).Payload<EchoRequest>());
        var packed = new EncodedPayload(EncodedPayload.MsgPack, PayloadEncoding.Encode(new EchoRequest(Sender, "packed")));
        Assert.Equal("packed", PayloadCodec.Convert<EchoRequest>(packed).Data);
        Assert.Equal("plain", PayloadCodec.Convert<string>(new EncodedPayload(EncodedPayload.Text, "plain"u8.ToArray())));
        Assert.Equal([1, 2], PayloadCodec.Convert<byte[]>(new EncodedPayload(EncodedPayload.Bytes, [1, 2])));
        Assert.Same(yaml, PayloadCodec.Convert<EncodedPayload>(yaml));
        var e = Assert.Throws<WispException>(() => PayloadCodec.Convert<EchoRequest>(yaml));
        Assert.Equal((ErrorKind.Invalid, "a yaml/plain payload can only be read as an EncodedPayload"), (e.Kind, e.Message));
        Assert.Contains("is not JSON", Assert.Throws<WispException>(() =>
            PayloadCodec.Convert<EchoRequest>(new EncodedPayload(EncodedPayload.Json, "{"u8.ToArray()))).Message);
        Assert.Equal("\"payload{format=yaml/plain}\"", PayloadText.Format(yaml));
    }

    [Fact]
    public void A_PID_keeps_its_node_incarnation_through_the_encoding()
    {
        var remote = new Pid("node-1", "app:processes", 0x1234, creation: 0xdeadbeef);
        var back = Assert.IsType<PayloadList>(PayloadEncoding.Decode(PayloadEncoding.Encode(new PayloadList([remote, Sender]))));
        Assert.Equal(remote, back[0]);
        Assert.Equal(0xdeadbeefu, ((Pid)back[0]!).Creation);
        Assert.Equal(0u, ((Pid)back[1]!).Creation);
        Assert.Contains("an invalid PID", Assert.Throws<WispException>(() => PayloadEncoding.Decode(new byte[] { 0xd6, 0x03, 0, 0, 0, 1 })).Message);
    }

    [Fact]
    public void Encoding_past_the_limit_tells_the_sender()
    {
        var e = Assert.Throws<WispException>(() => PayloadEncoding.Encode(new string('x', 2000), maxBytes: 1000));
        Assert.Equal(ErrorKind.LimitExceeded, e.Kind);
        Assert.Equal("payload too large: more than 1000 bytes", e.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0xc1 }, "unexpected MessagePack code")]       // a code MessagePack never uses
    [InlineData(new byte[] { 0x92, 0x01 }, "malformed")]                   // an array cut short
    [InlineData(new byte[] { 0x01, 0x02 }, "after the value")]
    [InlineData(new byte[] { 0xd4, 0x07, 0x00 }, "unknown extension type 7")]
    [InlineData(new byte[] { 0x81, 0x90, 0x01 }, "map key at byte 1 is a PayloadList")]
    public void Malformed_input_is_an_invalid_error_that_says_where(byte[] bytes, string why)
    {
        var e = Assert.Throws<WispException>(() => PayloadEncoding.Decode(bytes));
        Assert.Equal(ErrorKind.Invalid, e.Kind);
        Assert.Contains(why, e.Message);
    }

    [Fact]
    public void Deep_nesting_is_refused_when_decoding()
    {
        var bytes = Enumerable.Repeat((byte)0x91, PayloadEncoding.MaxDepth + 2).Append((byte)0xc0).ToArray();   // [[[...nil]]]
        Assert.Contains("nested deeper than", Assert.Throws<WispException>(() => PayloadEncoding.Decode(bytes)).Message);
    }
}
