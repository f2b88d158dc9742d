using System.Text.RegularExpressions;

namespace Wisp.Hosting;

/// <summary>The patterns of the event bus and the registry's finds: <c>*</c> matches any run of characters, the rest itself.</summary>
internal static class Glob
{
    public static Regex Compile(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace("\\*", ".*") + "$", RegexOptions.CultureInvariant | RegexOptions.Singleline);
}
