using System.Text;

namespace Wisp.Lua.Tests;

/// <summary>
/// The payload formats' text, which Lua cannot see (a transcoded payload's data() is decoded) but C# and other
/// nodes do: YAML as the reference's Go writes it, and Go's <c>%v</c> numbers of text and bytes payloads.
/// </summary>
public class PayloadFormatTests
{
    [Theory]
    [InlineData(5.0, "5")]
    [InlineData(2.5, "2.5")]
    [InlineData(-0.75, "-0.75")]
    [InlineData(123456.0, "123456")]
    [InlineData(1e6, "1e+06")]
    [InlineData(1234567.0, "1.234567e+06")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001234, "1.234e-05")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1e100, "1e+100")]
    [InlineData(0.1 + 0.2, "0.30000000000000004")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NaN, "NaN")]
    public void Floats_are_written_as_go_writes_them(double value, string text) => Assert.Equal(text, GoValueText.Float(value));

    [Fact]
    public void Yaml_is_written_with_sorted_keys_quoted_lookalikes_and_binary_strings_and_reads_back()
    {
        var inner = new PayloadMap();
        inner.Add("zeta", new PayloadList([1L, 2.5, "3"]));
        inner.Add("alpha", true);
        var value = new PayloadMap();
        value.Add("name", "test");
        value.Add("count", "42");
        value.Add("nested", inner);
        value.Add("raw", new byte[] { 0, 255 });
        value.Add("none", null);
        var text = Encoding.UTF8.GetString(PayloadYaml.Encode(value));
        Assert.Equal("""
            count: "42"
            name: test
            nested:
              alpha: true
              zeta:
              - 1
              - 2.5
              - "3"
            none: null
            raw: !!binary AP8=

            """.Replace("\r", ""), text.Replace("\r", ""));
        var back = Assert.IsType<PayloadMap>(PayloadYaml.Decode(Encoding.UTF8.GetBytes(text)));
        Assert.Equal("42", back["count"]);
        Assert.Equal([1L, 2.5, "3"], Assert.IsType<PayloadList>(Assert.IsType<PayloadMap>(back["nested"])["zeta"]));
        Assert.Equal([0, 255], Assert.IsType<byte[]>(back["raw"]));
        Assert.Null(back["none"]);
    }
}
