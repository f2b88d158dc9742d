using System.Globalization;

namespace Wisp.Remote;

/// <summary>The machine's load, which the report prints at the start and the end of a run.</summary>
public static class Machine
{
    /// <summary>The 1, 5 and 15 minute load averages, as /proc/loadavg gives them.</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}

/// <summary>A process's memory from /proc (Linux): its resident set now and its peak (VmRSS, VmHWM), in MB.</summary>
public static class ProcMemory
{
    public static double PeakMb(int pid) => Read(pid, "VmHWM:");

    public static double RssMb(int pid) => Read(pid, "VmRSS:");

    /// <summary>A field of /proc/PID/status in MB; NaN once the process is gone.</summary>
    private static double Read(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith(field, StringComparison.Ordinal))
                    return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return double.NaN;
    }
}
