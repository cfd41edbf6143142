using System.Runtime.InteropServices;

/// <summary>
/// CPU time of the calling thread and of the whole process (Linux <c>clock_gettime</c>): on a shared, loaded machine
/// wall time includes waiting for a core, CPU time is the work itself. The process clock also counts work a query hands
/// to other threads (Lucene's merges, the GC).
/// </summary>
internal static partial class CpuClock
{
    private const int ProcessCpuTimeId = 2;
    private const int ThreadCpuTimeId = 3;

    public static double ThreadMilliseconds() => Read(ThreadCpuTimeId);

    public static double ProcessMilliseconds() => Read(ProcessCpuTimeId);

    private static double Read(int clock)
    {
        if (!OperatingSystem.IsLinux() || ClockGetTime(clock, out var time) != 0)
        {
            return double.NaN;
        }
        return time.Seconds * 1000.0 + time.Nanoseconds / 1_000_000.0;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
