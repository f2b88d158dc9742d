using System.Globalization;
using System.Text.RegularExpressions;

namespace Wisp.Lua.Dialect;

/// <summary>A numeral's value as Lua 5.4 reads it: an integer, or a float.</summary>
internal readonly record struct LuaNumeral(bool IsInteger, long Integer, double Float)
{
    private static readonly Regex Decimal = new(@"^(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$", RegexOptions.CultureInvariant);
    private static readonly Regex Hex = new(@"^0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?[0-9]+)?$", RegexOptions.CultureInvariant);

    /// <summary>
    /// Reads a numeral: a decimal integer that does not fit 64 bits is a float, a hexadecimal one wraps around,
    /// a fraction or an exponent makes a float (hexadecimal floats included), as in Lua.
    /// </summary>
    public static bool TryParse(string text, out LuaNumeral value)
    {
        value = default;
        if (Hex.IsMatch(text)) return TryParseHex(text, out value);
        if (!Decimal.IsMatch(text)) return false;
        bool isFloat = text.AsSpan().IndexOfAny(".eE") >= 0;
        if (!isFloat && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long integer))
        {
            value = new LuaNumeral(true, integer, integer);
            return true;
        }
        value = new LuaNumeral(false, 0, double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
        return true;
    }

    private static bool TryParseHex(string text, out LuaNumeral value)
    {
        ulong mantissa = 0;
        double real = 0;
        int exponent = 0;
        bool fraction = false, isFloat = false;
        int i = 2;
        for (; i < text.Length && text[i] is not ('p' or 'P'); i++)
        {
            if (text[i] == '.')
            {
                fraction = isFloat = true;
                continue;
            }
            int digit = LuaTokenizer.HexValue(text[i]);
            mantissa = unchecked(mantissa * 16 + (ulong)digit);
            real = real * 16 + digit;
            if (fraction) exponent -= 4;
        }
        if (i < text.Length)
        {
            isFloat = true;
            exponent += int.TryParse(text.AsSpan(i + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int e) ? e
                : text[i + 1] == '-' ? -100_000 : 100_000;
        }
        value = isFloat ? new LuaNumeral(false, 0, real * Math.Pow(2, exponent)) : new LuaNumeral(true, unchecked((long)mantissa), 0);
        return true;
    }
}
