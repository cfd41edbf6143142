using Veeky.Processes;

namespace Veeky.Tests.Infrastructure;

/// <summary>
/// Guards for tests that need an outside tool or server. Under CI (<c>CI=true</c>) a missing tool fails the test, so
/// a broken setup can never pass as a skip; elsewhere the test is skipped with the reason.
/// </summary>
public static class Requires
{
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Each tool must be on PATH (or an absolute path that exists).</summary>
    public static void Tools(params string[] tools)
    {
        var missing = tools.Where(t => !ProcessRunner.IsAvailable(t)).ToList();
        if (missing.Count > 0)
        {
            Unavailable($"needs {string.Join(", ", missing)} (install with scripts/setup.sh --test)");
        }
    }

    /// <summary>Fails under CI, skips elsewhere.</summary>
    public static void Unavailable(string reason)
    {
        if (IsCi)
        {
            Assert.Fail($"Required under CI: {reason}");
        }
        Assert.Skip(reason);
    }
}
