namespace Wisp.Hosting.Entries;

/// <summary>
/// Parses Go duration strings (<c>300ms</c>, <c>1.5h</c>, <c>2h45m</c>, <c>-10s</c>), the form the seed's
/// configuration uses. Units are <c>ns us µs ms s m h</c>; every number needs a unit, except that a bare
/// integer means nanoseconds, as it does when Go decodes a YAML integer into a <c>time.Duration</c>.
/// Like Go, the total must fit in 64-bit nanoseconds; the result is truncated to 100 ns ticks.
/// </summary>
public static class GoDuration
{
    public static TimeSpan Parse(string text) =>
        TryParse(text, out var value)
            ? value
            : throw new FormatException($"invalid duration '{text}' (expected e.g. 500ms, 10s, 1m30s)");

    public static bool TryParse(string? text, out TimeSpan value)
    {
        bool ok = TryParseNanoseconds(text, bareIntegerIsNanoseconds: true, out long nanoseconds, out _);
        value = ok ? TimeSpan.FromTicks(nanoseconds / NanosecondsPerTick) : default;
        return ok;
    }

    /// <summary>
    /// Parses a duration to nanoseconds as Go's time.ParseDuration does, with its error texts (<c>time: invalid
    /// duration "x"</c>, <c>time: missing unit in duration "5"</c>, <c>time: unknown unit "x" in duration "5x"</c>),
    /// so a Lua program sees the reference's messages. <paramref name="bareIntegerIsNanoseconds"/> accepts a bare
    /// integer (YAML's reading); Go accepts only "0" without a unit.
    /// </summary>
    public static bool TryParseNanoseconds(string? text, bool bareIntegerIsNanoseconds, out long nanoseconds, out string error)
    {
        nanoseconds = 0;
        error = $"time: invalid duration \"{text}\"";
        if (string.IsNullOrEmpty(text)) return false;
        var s = text.AsSpan();
        bool negative = s[0] == '-';
        if (s[0] is '-' or '+') s = s[1..];
        if (s.IsEmpty) return false;

        ulong total;
        if (!s.ContainsAnyExceptInRange('0', '9'))
        {
            if (!ulong.TryParse(s, out total)) return false;
            if (total != 0 && !bareIntegerIsNanoseconds)
            {
                error = $"time: missing unit in duration \"{text}\"";
                return false;
            }
        }
        else if (!TryParseComponents(s, text, out total, ref error)) return false;

        if (total > long.MaxValue) return false;
        nanoseconds = negative ? -(long)total : (long)total;
        return true;
    }

    private const long NanosecondsPerTick = 100;

    // Each component is a decimal number with an optional fraction, then a unit; the arithmetic follows
    // Go's time.ParseDuration so that both runtimes read a duration the same way.
    private static bool TryParseComponents(ReadOnlySpan<char> s, string text, out ulong total, ref string error)
    {
        total = 0;
        while (!s.IsEmpty)
        {
            int i = 0;
            ulong whole = 0;
            for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
            {
                if (whole > (long.MaxValue - 9) / 10) return false;
                whole = whole * 10 + (ulong)(s[i] - '0');
            }
            bool hasWhole = i > 0;

            ulong fraction = 0;
            double scale = 1;
            bool hasFraction = false;
            if (i < s.Length && s[i] == '.')
            {
                for (i++; i < s.Length && char.IsAsciiDigit(s[i]); i++)
                {
                    hasFraction = true;
                    if (fraction > (long.MaxValue - 9) / 10) continue;   // further digits are below precision
                    fraction = fraction * 10 + (ulong)(s[i] - '0');
                    scale *= 10;
                }
            }
            if (!hasWhole && !hasFraction) return false;

            int unitStart = i;
            while (i < s.Length && s[i] != '.' && !char.IsAsciiDigit(s[i])) i++;
            if (unitStart == i)
            {
                error = $"time: missing unit in duration \"{text}\"";
                return false;
            }
            ulong unit = UnitNanoseconds(s[unitStart..i]);
            if (unit == 0)
            {
                error = $"time: unknown unit \"{s[unitStart..i]}\" in duration \"{text}\"";
                return false;
            }

            if (whole > long.MaxValue / unit) return false;
            ulong component = whole * unit;
            if (fraction > 0)
            {
                component += (ulong)(fraction * (unit / scale));
                if (component > long.MaxValue) return false;
            }
            total += component;
            if (total > long.MaxValue) return false;
            s = s[i..];
        }
        return true;
    }

    private static ulong UnitNanoseconds(ReadOnlySpan<char> unit) => unit switch
    {
        "ns" => 1,
        "us" or "µs" or "μs" => 1_000,   // micro sign U+00B5 and Greek mu U+03BC, as Go accepts
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60_000_000_000,
        "h" => 3_600_000_000_000,
        _ => 0,
    };
}
