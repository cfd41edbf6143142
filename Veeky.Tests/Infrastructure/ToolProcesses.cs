namespace Veeky.Tests.Infrastructure;

/// <summary>Finds the tool processes a test started by a unique path on their command line (/proc), to prove that
/// cancellation ended them.</summary>
public static class ToolProcesses
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Waits (generously: the machine may be busy) until a process with <paramref name="argument"/> runs.</summary>
    public static async Task WaitUntilRunningAsync(string argument)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!With(argument).Any())
        {
            Assert.True(DateTime.UtcNow < deadline, $"no process with {argument} started");
            await Task.Delay(50);
        }
    }

    /// <summary>Waits until no live process has <paramref name="argument"/> on its command line (a zombie counts as gone).</summary>
    public static async Task WaitUntilGoneAsync(string argument)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (With(argument).ToList() is { Count: > 0 } running)
        {
            Assert.True(DateTime.UtcNow < deadline, $"process {string.Join(", ", running)} with {argument} still runs");
            await Task.Delay(50);
        }
    }

    private static IEnumerable<int> With(string argument)
    {
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var id))
            {
                continue;
            }
            string commandLine, stat;
            try
            {
                commandLine = File.ReadAllText(Path.Combine(folder, "cmdline"));
                stat = File.ReadAllText(Path.Combine(folder, "stat"));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            if (commandLine.Contains(argument, StringComparison.Ordinal) && state is not ('Z' or 'X'))
            {
                yield return id;
            }
        }
    }
}
