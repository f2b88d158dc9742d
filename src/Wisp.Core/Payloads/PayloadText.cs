using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Wisp;

/// <summary>
/// Payload values as compact JSON text, for logs and diagnostics: maps as objects (keys as text), lists as
/// arrays, PIDs and errors as strings, byte strings as base64. A value that contains itself prints "&lt;cycle&gt;"
/// where it recurs, so any payload can be printed.
/// </summary>
public static class PayloadText
{
    public static string Format(object? value)
    {
        var text = new StringBuilder();
        Write(text, value, new HashSet<object>(ReferenceEqualityComparer.Instance));
        return text.ToString();
    }

    private static void Write(StringBuilder text, object? value, HashSet<object> open)
    {
        switch (value)
        {
            case null:
                text.Append("null");
                break;
            case bool b:
                text.Append(b ? "true" : "false");
                break;
            case long or int or short or sbyte or byte or ushort or uint or ulong:
                text.Append(((IFormattable)value).ToString(null, CultureInfo.InvariantCulture));
                break;
            case double or float or decimal:
                text.Append(Number(Convert.ToDouble(value, CultureInfo.InvariantCulture)));
                break;
            case string s:
                Quote(text, s);
                break;
            case byte[] bytes:
                Quote(text, Convert.ToBase64String(bytes));
                break;
            case PayloadMap map:
                if (!open.Add(map))
                {
                    text.Append("\"<cycle>\"");
                    break;
                }
                text.Append('{');
                bool first = true;
                foreach (var (key, item) in map.Entries)
                {
                    if (!first) text.Append(',');
                    first = false;
                    Quote(text, key is string name ? name : Format(key));
                    text.Append(':');
                    Write(text, item, open);
                }
                text.Append('}');
                open.Remove(map);
                break;
            case PayloadList list:
                if (!open.Add(list))
                {
                    text.Append("\"<cycle>\"");
                    break;
                }
                text.Append('[');
                for (int i = 0; i < list.Count; i++)
                {
                    if (i > 0) text.Append(',');
                    Write(text, list[i], open);
                }
                text.Append(']');
                open.Remove(list);
                break;
            case ProcessError error:
                Quote(text, error.Message);
                break;
            default:
                Quote(text, value.ToString() ?? "");
                break;
        }
    }

    /// <summary>A float as the seed's runtime prints it: an integral value without a fraction, others round-trip.</summary>
    public static string Number(double d) =>
        double.IsFinite(d) && d == Math.Floor(d) && Math.Abs(d) < 1e15
            ? ((long)d).ToString(CultureInfo.InvariantCulture)
            : d.ToString("R", CultureInfo.InvariantCulture);

    private static void Quote(StringBuilder text, string s) =>
        text.Append(JsonSerializer.Serialize(s, QuoteOptions));

    private static readonly JsonSerializerOptions QuoteOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
