using System.Globalization;

namespace Wisp.Hosting;

/// <summary>
/// Converts a spawn argument (a C# value, or a YAML scalar from a service's <c>input</c>) to a parameter's
/// type, only where nothing is lost: integers to wider or in-range numbers, PID strings to <see cref="Pid"/>,
/// Go durations to <see cref="TimeSpan"/>, names to enums, any scalar to a string, and a payload map or list (a
/// Lua spawner's table) to a record or collection through <see cref="PayloadCodec"/>. A fraction never becomes
/// an integer and a boolean never a number. Returns null when it cannot; a null argument stays null.
/// </summary>
internal static class ArgumentBinder
{
    private static bool IsInteger(object value) => value is sbyte or byte or short or ushort or int or uint or long or ulong;
    private static bool IsInteger(Type type) => type == typeof(sbyte) || type == typeof(byte) || type == typeof(short)
        || type == typeof(ushort) || type == typeof(int) || type == typeof(uint) || type == typeof(long) || type == typeof(ulong);

    public static object? Convert(object? value, Type target)
    {
        if (value is null) return null;
        var type = Nullable.GetUnderlyingType(target) ?? target;
        if (type.IsInstanceOfType(value)) return value;
        if (type == typeof(Pid)) return value is string s && Pid.TryParse(s, out var pid) ? pid : null;
        if (type == typeof(string)) return value is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : value.ToString();
        if (type == typeof(TimeSpan) && value is string text && Entries.GoDuration.TryParse(text, out var duration)) return duration;
        if (type.IsEnum && value is string name && Enum.TryParse(type, name, ignoreCase: true, out var member)) return member;
        if (IsInteger(value) && (IsInteger(type) || type == typeof(double) || type == typeof(float) || type == typeof(decimal)))
        {
            try
            {
                return System.Convert.ChangeType(value, type, CultureInfo.InvariantCulture);   // range-checked
            }
            catch (OverflowException)
            {
                return null;
            }
        }
        if (value is float or double && type == typeof(double)) return System.Convert.ToDouble(value, CultureInfo.InvariantCulture);
        if (value is float && type == typeof(float)) return value;
        if (value is PayloadMap or PayloadList)
        {
            try
            {
                return PayloadCodec.Convert(value, type);
            }
            catch (WispException)
            {
                return null;
            }
        }
        return null;
    }
}
