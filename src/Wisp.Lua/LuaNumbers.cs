using System.Globalization;

namespace Wisp.Lua;

/// <summary>Numbers as Lua 5.4 prints them ("%.14g", and ".0" on a float with an integral value).</summary>
internal static class LuaNumbers
{
    public static string Format(double d)
    {
        if (double.IsNaN(d)) return d > 0 ? "nan" : "-nan";
        if (double.IsPositiveInfinity(d)) return "inf";
        if (double.IsNegativeInfinity(d)) return "-inf";
        var text = d.ToString("G14", CultureInfo.InvariantCulture).Replace("E+", "e+").Replace("E-", "e-");
        return text.Contains('.') || text.Contains('e') || text.Contains('n') || text.Contains('i') ? text : text + ".0";
    }
}
