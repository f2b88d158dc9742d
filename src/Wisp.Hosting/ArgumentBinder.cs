using System.Globalization;

namespace Wisp.Hosting;

/// <summary>
/// Converts a spawn argument (a C# value, or a YAML scalar from a service's <c>input</c>) to a parameter's
/// type. Returns null when it cannot; a null argument stays null.
/// </summary>
internal static class ArgumentBinder
{
    public static object? Convert(object? value, Type target)
    {
        if (value is null) return null;
        var type = Nullable.GetUnderlyingType(target) ?? target;
        if (type.IsInstanceOfType(value)) return value;
        if (type == typeof(Pid)) return value is string s && Pid.TryParse(s, out var pid) ? pid : null;
        if (type == typeof(string)) return value is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : value.ToString();
        if (type == typeof(TimeSpan) && value is string text && Entries.GoDuration.TryParse(text, out var duration)) return duration;
        if (type.IsEnum && value is string name && Enum.TryParse(type, name, ignoreCase: true, out var member)) return member;
        if (value is IConvertible && typeof(IConvertible).IsAssignableFrom(type) && !type.IsEnum)
        {
            try
            {
                return System.Convert.ChangeType(value, type, CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
            {
                return null;
            }
        }
        return null;
    }
}
