using System.Buffers;
using System.Globalization;
using System.Text;

namespace Wisp.Lua;

/// <summary>
/// Values as the reference runtime's Go code writes them with <c>%v</c>, which is what its payloads give when a
/// value is transcoded to text or bytes: a float in Go's shortest <c>%g</c> form (<c>5</c>, <c>2.5</c>, <c>1e+06</c>,
/// <c>+Inf</c>), a list as <c>[a b]</c>, a map as <c>map[k:v]</c> with its keys in order, nil inside a container as
/// <c>&lt;nil&gt;</c>; strings and byte strings as they are. A table that contains itself has no text (Invalid).
/// </summary>
internal static class GoValueText
{
    /// <summary>The text of a payload value as bytes; nil is empty, a string its bytes.</summary>
    public static byte[] Bytes(object? value)
    {
        switch (value)
        {
            case null:
                return [];
            case byte[] bytes:
                return bytes;
        }
        var output = new ArrayBufferWriter<byte>(64);
        Write(output, value, new HashSet<object>(ReferenceEqualityComparer.Instance));
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Go's <c>strconv.FormatFloat(d, 'g', -1, 64)</c>: the shortest digits, an exponent below 1e-4 and from 1e+06.</summary>
    public static string Float(double d)
    {
        if (double.IsNaN(d)) return "NaN";
        if (double.IsInfinity(d)) return d > 0 ? "+Inf" : "-Inf";
        if (d == 0) return double.IsNegative(d) ? "-0" : "0";
        var (digits, point) = ShortestDigits(Math.Abs(d));
        var text = new StringBuilder(digits.Length + 8);
        if (d < 0) text.Append('-');
        int exponent = point - 1;
        if (exponent < -4 || exponent >= 6)
        {
            text.Append(digits[0]);
            if (digits.Length > 1) text.Append('.').Append(digits, 1, digits.Length - 1);
            text.Append('e').Append(exponent < 0 ? '-' : '+').Append(Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture));
        }
        else if (point <= 0) text.Append("0.").Append('0', -point).Append(digits);
        else if (point >= digits.Length) text.Append(digits).Append('0', point - digits.Length);
        else text.Append(digits, 0, point).Append('.').Append(digits, point, digits.Length - point);
        return text.ToString();
    }

    /// <summary>The significant digits of the shortest text that reads back as <paramref name="d"/> (&gt; 0), and where the point goes.</summary>
    private static (string Digits, int Point) ShortestDigits(double d)
    {
        var text = d.ToString("R", CultureInfo.InvariantCulture);   // "123.45", "1E-07", "1.2345E+21"
        int e = text.IndexOf('E');
        int exponent = e < 0 ? 0 : int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var mantissa = e < 0 ? text : text[..e];
        int dot = mantissa.IndexOf('.');
        int point = (dot < 0 ? mantissa.Length : dot) + exponent;
        var digits = mantissa.Replace(".", "");
        int leading = digits.Length - digits.TrimStart('0').Length;
        return (digits.Trim('0'), point - leading);
    }

    private static void Write(ArrayBufferWriter<byte> output, object? value, HashSet<object> open)
    {
        switch (value)
        {
            case null:
                Append(output, "<nil>");
                break;
            case bool b:
                Append(output, b ? "true" : "false");
                break;
            case long l:
                Append(output, l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                Append(output, Float(d));
                break;
            case string s:
                Append(output, s);
                break;
            case byte[] bytes:
                output.Write(bytes);
                break;
            case PayloadList or PayloadMap when !open.Add(value):
                throw new WispException(ErrorKind.Invalid, "a table that contains itself has no text");
            case PayloadList list:
                Append(output, "[");
                for (int i = 0; i < list.Count; i++)
                {
                    if (i > 0) Append(output, " ");
                    Write(output, list[i], open);
                }
                Append(output, "]");
                open.Remove(list);
                break;
            case PayloadMap map:
                Append(output, "map[");
                bool first = true;
                foreach (var (key, item) in map.Entries.Select(e => (Key: KeyText(e.Key), e.Value)).OrderBy(e => e.Key, StringComparer.Ordinal))
                {
                    if (!first) Append(output, " ");
                    first = false;
                    Append(output, key);
                    Append(output, ":");
                    Write(output, item, open);
                }
                Append(output, "]");
                open.Remove(map);
                break;
            case ProcessError error:
                Append(output, error.Message);
                break;
            default:
                Append(output, value.ToString() ?? "");
                break;
        }
    }

    /// <summary>A table key as the reference's maps have it: its text, numbers as Lua prints them.</summary>
    public static string KeyText(object key) => key switch
    {
        string s => s,
        double d => LuaNumbers.Format(d),
        bool b => b ? "true" : "false",
        _ => Convert.ToString(key, CultureInfo.InvariantCulture) ?? "",
    };

    private static void Append(ArrayBufferWriter<byte> output, string text) => Encoding.UTF8.GetBytes(text, output);
}
