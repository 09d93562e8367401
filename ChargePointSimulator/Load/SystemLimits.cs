using System.Globalization;

namespace ChargePointSimulator.Load;

/// <summary>Facts of the Linux host that bound a load run, read from /proc.</summary>
public static class SystemLimits
{
    /// <summary>Soft limit of open files of this process (each WebSocket is one).</summary>
    public static int OpenFilesLimit()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/self/limits"))
            {
                if (line.StartsWith("Max open files", StringComparison.Ordinal))
                {
                    var fields = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return fields[0] == "unlimited" ? int.MaxValue : int.Parse(fields[0], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            // Not Linux: assume a generous limit.
        }

        return 65_536;
    }

    /// <summary>How many ephemeral ports one source address has (net.ipv4.ip_local_port_range).</summary>
    public static int EphemeralPorts()
    {
        try
        {
            var fields = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            return int.Parse(fields[1], CultureInfo.InvariantCulture) - int.Parse(fields[0], CultureInfo.InvariantCulture) + 1;
        }
        catch (Exception ex) when (ex is IOException or FormatException or IndexOutOfRangeException)
        {
            return 28_232;
        }
    }

    /// <summary>Resident and peak resident memory of a process in bytes (VmRSS, VmHWM), or null when it cannot be read.</summary>
    public static (long Rss, long Peak)? ProcessMemory(int pid)
    {
        try
        {
            long rss = 0, peak = 0;
            foreach (string line in File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = Kilobytes(line);
                }
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    peak = Kilobytes(line);
                }
            }

            return rss > 0 ? (rss, peak) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// CPU time a process has used so far, user and system (utime + stime of /proc/PID/stat, in clock ticks of
    /// 1/100 s: USER_HZ is 100 on Linux), or null when it cannot be read.
    /// </summary>
    public static TimeSpan? ProcessCpuTime(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromMilliseconds(ticks * 10);
        }
        catch (Exception ex) when (ex is IOException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
}
