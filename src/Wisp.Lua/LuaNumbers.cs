using System.Globalization;
using Wisp.Lua.Native;

namespace Wisp.Lua;

/// <summary>
/// Numbers as the loaded Lua prints them ("%.14g"): with Wisp's build a float with an integral value has no ".0"
/// (the reference's <c>5</c>), with KeraLua's stock library it has one (<c>5.0</c>), so that C# (io, print) and Lua
/// (<c>tostring</c>, <c>..</c>) always agree.
/// </summary>
internal static class LuaNumbers
{
    public static string Format(double d)
    {
        if (double.IsNaN(d)) return d > 0 ? "nan" : "-nan";
        if (double.IsPositiveInfinity(d)) return "inf";
        if (double.IsNegativeInfinity(d)) return "-inf";
        var text = d.ToString("G14", CultureInfo.InvariantCulture).Replace("E+", "e+").Replace("E-", "e-");
        bool looksIntegral = !(text.Contains('.') || text.Contains('e') || text.Contains('n') || text.Contains('i'));
        return looksIntegral && NativeLua.WispBuildPath is null ? text + ".0" : text;
    }
}
