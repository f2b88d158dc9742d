using System.Text.RegularExpressions;

namespace Wisp.Lua.Dialect;

/// <summary>What Lua 5.4 reads as a number: a decimal or hexadecimal integer or float (hex floats with a 'p' exponent).</summary>
internal static class LuaNumeral
{
    private static readonly Regex Numeral = new(
        @"^(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?[0-9]+)?)$",
        RegexOptions.CultureInvariant);

    public static bool IsNumeral(string text) => Numeral.IsMatch(text);
}
