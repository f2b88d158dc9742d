using System.Globalization;
using System.Text;

namespace Wisp.Lua;

/// <summary>
/// Go's reference-time layouts ("2006-01-02T15:04:05Z07:00"), which the reference's time module takes: format a
/// time by a layout, parse a time by one, and Go's String forms of times and durations.
/// </summary>
internal static class GoTimeLayout
{
    private static readonly string[] Tokens =
    [
        "January", "Monday", "2006", "Z07:00:00", "-07:00:00", "Z07:00", "-07:00", "Z0700", "-0700", "Z07", "-07",
        "002", "Jan", "Mon", "MST", "__2", "_2", "01", "02", "03", "04", "05", "06", "15", "PM", "pm", "1", "2", "3", "4", "5",
    ];

    public static string Format(DateTimeOffset t, string layout, string zoneName)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder(layout.Length + 8);
        for (int i = 0; i < layout.Length;)
        {
            if (TryFraction(layout, i, out int length, out int digits, out bool trim))
            {
                long fraction = (t.Ticks % TimeSpan.TicksPerSecond) * 100;   // nanoseconds
                var value = fraction.ToString("D9", c)[..Math.Min(digits, 9)].PadRight(digits, '0');
                if (trim) value = value.TrimEnd('0');
                if (value.Length > 0 || !trim) text.Append(layout[i]).Append(value);
                i += length;
                continue;
            }
            string? token = Tokens.FirstOrDefault(tok => string.CompareOrdinal(layout, i, tok, 0, tok.Length) == 0);
            if (token is null)
            {
                text.Append(layout[i++]);
                continue;
            }
            text.Append(token switch
            {
                "January" => t.ToString("MMMM", c),
                "Jan" => t.ToString("MMM", c),
                "Monday" => t.ToString("dddd", c),
                "Mon" => t.ToString("ddd", c),
                "2006" => t.Year.ToString("D4", c),
                "06" => (t.Year % 100).ToString("D2", c),
                "01" => t.Month.ToString("D2", c),
                "1" => t.Month.ToString(c),
                "02" => t.Day.ToString("D2", c),
                "2" => t.Day.ToString(c),
                "_2" => t.Day.ToString(c).PadLeft(2),
                "__2" => t.DayOfYear.ToString(c).PadLeft(3),
                "002" => t.DayOfYear.ToString("D3", c),
                "15" => t.Hour.ToString("D2", c),
                "03" => Hour12(t).ToString("D2", c),
                "3" => Hour12(t).ToString(c),
                "04" => t.Minute.ToString("D2", c),
                "4" => t.Minute.ToString(c),
                "05" => t.Second.ToString("D2", c),
                "5" => t.Second.ToString(c),
                "PM" => t.Hour >= 12 ? "PM" : "AM",
                "pm" => t.Hour >= 12 ? "pm" : "am",
                "MST" => zoneName,
                _ => Offset(t.Offset, token),
            });
            i += token.Length;
        }
        return text.ToString();
    }

    private static int Hour12(DateTimeOffset t) => t.Hour % 12 == 0 ? 12 : t.Hour % 12;

    /// <summary>".000" / ",000" (fixed) or ".999" (trailing zeros trimmed) right after a seconds field, as Go reads them.</summary>
    private static bool TryFraction(string layout, int i, out int length, out int digits, out bool trim)
    {
        length = digits = 0;
        trim = false;
        if (layout[i] is not ('.' or ',') || i + 1 >= layout.Length || layout[i + 1] is not ('0' or '9')) return false;
        char digit = layout[i + 1];
        int j = i + 1;
        while (j < layout.Length && layout[j] == digit) j++;
        if (j < layout.Length && char.IsAsciiDigit(layout[j])) return false;
        if (i == 0 || !char.IsAsciiDigit(layout[i - 1])) return false;   // Go requires it to follow the seconds
        length = j - i;
        digits = j - i - 1;
        trim = digit == '9';
        return true;
    }

    private static string Offset(TimeSpan offset, string token)
    {
        if (token[0] == 'Z' && offset == TimeSpan.Zero) return "Z";
        var c = CultureInfo.InvariantCulture;
        string sign = offset < TimeSpan.Zero ? "-" : "+";
        var abs = offset.Duration();
        string hh = abs.Hours.ToString("D2", c), mm = abs.Minutes.ToString("D2", c), ss = abs.Seconds.ToString("D2", c);
        return token.TrimStart('Z') switch
        {
            "07:00:00" or "-07:00:00" => $"{sign}{hh}:{mm}:{ss}",
            "07:00" or "-07:00" => $"{sign}{hh}:{mm}",
            "0700" or "-0700" => $"{sign}{hh}{mm}",
            _ => $"{sign}{hh}",
        };
    }

    /// <summary>Go's Time.String(): <c>2006-01-02 15:04:05.999999999 -0700 MST</c>.</summary>
    public static string TimeString(DateTimeOffset t, string zoneName) =>
        Format(t, "2006-01-02 15:04:05.999999999 -0700 MST", zoneName);

    /// <summary>Go's Duration.String(): <c>1h30m0s</c>, <c>500ms</c>, <c>1.5µs</c>, <c>0s</c>.</summary>
    public static string DurationString(long ns)
    {
        if (ns == 0) return "0s";
        var c = CultureInfo.InvariantCulture;
        bool negative = ns < 0;
        ulong u = negative ? (ulong)(-(ns + 1)) + 1 : (ulong)ns;
        string text;
        if (u < 1_000_000_000)
        {
            (ulong unit, string name) = u < 1_000 ? (1UL, "ns") : u < 1_000_000 ? (1_000UL, "µs") : (1_000_000UL, "ms");
            text = Fraction(u, unit, c) + name;
        }
        else
        {
            ulong seconds = u / 1_000_000_000, hours = seconds / 3600, minutes = seconds / 60 % 60;
            string secondsText = Fraction(u % 60_000_000_000, 1_000_000_000, c) + "s";
            text = hours > 0 ? $"{hours}h{minutes}m{secondsText}" : minutes > 0 ? $"{minutes}m{secondsText}" : secondsText;
        }
        return negative ? "-" + text : text;
    }

    private static string Fraction(ulong value, ulong unit, CultureInfo c)
    {
        ulong whole = value / unit, rest = value % unit;
        if (rest == 0) return whole.ToString(c);
        int digits = (int)Math.Log10(unit);
        return whole.ToString(c) + "." + rest.ToString(c).PadLeft(digits, '0').TrimEnd('0');
    }

    /// <summary>
    /// Parses <paramref name="value"/> by a Go layout, through the equivalent .NET pattern; null and the reason when
    /// it does not match. A layout without a zone gives UTC, or <paramref name="zone"/> when one is given.
    /// </summary>
    public static DateTimeOffset? Parse(string layout, string value, TimeZoneInfo? zone, out string error)
    {
        error = "";
        var pattern = new StringBuilder();
        bool hasZone = false;
        for (int i = 0; i < layout.Length;)
        {
            if (TryFraction(layout, i, out int length, out int digits, out bool trim))
            {
                pattern.Append(layout[i] == ',' ? "','" : "'.'").Append(new string(trim ? 'F' : 'f', Math.Min(digits, 7)));
                i += length;
                continue;
            }
            string? token = Tokens.FirstOrDefault(tok => string.CompareOrdinal(layout, i, tok, 0, tok.Length) == 0);
            if (token is null)
            {
                char ch = layout[i++];
                pattern.Append(char.IsLetterOrDigit(ch) || ch is '\'' or '"' or '%' or '\\' or ':' or '/' ? $"\\{ch}" : ch.ToString());
                continue;
            }
            if (token is "Z07:00" or "-07:00" or "Z0700" or "-0700" or "Z07" or "-07" or "MST") hasZone = true;
            pattern.Append(token switch
            {
                "January" => "MMMM", "Jan" => "MMM", "Monday" => "dddd", "Mon" => "ddd", "2006" => "yyyy", "06" => "yy",
                "01" => "MM", "1" => "M", "02" => "dd", "2" => "d", "_2" => "d", "15" => "HH", "03" => "hh", "3" => "h",
                "04" => "mm", "4" => "m", "05" => "ss", "5" => "s", "PM" or "pm" => "tt", "Z07:00" or "-07:00" => "zzz",
                "Z0700" or "-0700" => "zzz", "Z07" or "-07" => "zz", "MST" => "'MST'", _ => token,
            });
            i += token.Length;
        }
        var text = value;
        if (layout.Contains("MST"))   // a zone abbreviation: Go reads it but knows its offset only for UTC
            text = System.Text.RegularExpressions.Regex.Replace(text, @"\b[A-Z]{3,4}\b", "MST");
        if (hasZone) text = text.Replace("Z", "+00:00");
        var styles = DateTimeStyles.AllowLeadingWhite | DateTimeStyles.AllowTrailingWhite
            | (hasZone && !layout.Contains("MST") ? DateTimeStyles.None : DateTimeStyles.AssumeUniversal);
        if (!DateTimeOffset.TryParseExact(text, pattern.ToString().Replace("zzz", "zzz"), CultureInfo.InvariantCulture, styles, out var parsed))
        {
            error = $"parsing time \"{value}\" as \"{layout}\": cannot parse";
            return null;
        }
        if (!hasZone && zone is not null)
            parsed = new DateTimeOffset(parsed.DateTime, zone.GetUtcOffset(parsed.DateTime));
        return parsed;
    }
}
