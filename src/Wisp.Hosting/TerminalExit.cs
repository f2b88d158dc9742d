using System.Globalization;

namespace Wisp.Hosting;

/// <summary>
/// How the process run on a terminal host ends the program, as in the seed's runtime: a number is the exit
/// code (one that is not finite or outside the int range gives 1); an error prints its message to stderr and exits 1; a string is printed to stdout and exits 0;
/// true is 0, false is 1; anything else is 0.
/// </summary>
public static class TerminalExit
{
    public static int Code(ExitResult result, TextWriter output, TextWriter error)
    {
        if (result.Error is { } failure)
        {
            error.WriteLine($"error: {failure.Message}");
            error.Flush();
            return 1;
        }
        switch (result.Value)
        {
            case string text:
                output.WriteLine(text);
                output.Flush();
                return 0;
            case bool ok:
                return ok ? 0 : 1;
            case double d:
                return InRange(d) ? (int)d : 1;
            case float f:
                return InRange(f) ? (int)f : 1;
            case IConvertible number when IsInteger(number):
                return ToCode(number);
            default:
                return 0;
        }
    }

    private static bool InRange(double d) => double.IsFinite(d) && d >= int.MinValue && d <= int.MaxValue;

    /// <summary>An integer outside the int range cannot be an exit code: it ends the program with 1, like an error.</summary>
    private static int ToCode(IConvertible number)
    {
        try
        {
            return Convert.ToInt32(number, CultureInfo.InvariantCulture);
        }
        catch (OverflowException)
        {
            return 1;
        }
    }

    private static bool IsInteger(IConvertible value) => value.GetTypeCode() is TypeCode.Int16 or TypeCode.Int32 or TypeCode.Int64
        or TypeCode.UInt16 or TypeCode.UInt32 or TypeCode.UInt64 or TypeCode.Byte or TypeCode.SByte or TypeCode.Decimal;
}
