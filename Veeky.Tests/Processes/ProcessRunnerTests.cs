using Microsoft.Extensions.Logging.Abstractions;
using Veeky.Processes;

namespace Veeky.Tests.Processes;

/// <summary>No tool outlives what started it: a cancelled job or a stopping host kills the tool and its children.</summary>
public sealed class ProcessRunnerTests
{
    /// <summary>A tool that starts a child of its own, prints the child's id, and waits for it.</summary>
    private static readonly string[] ToolWithAChild = ["-c", "sleep 300 & echo $!; wait"];

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Cancelling_a_tool_kills_it_and_its_children()
    {
        using var runner = new ProcessRunner(NullLogger<ProcessRunner>.Instance);
        using var cancel = new CancellationTokenSource();
        var child = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);

        var run = runner.RunAsync("sh", ToolWithAChild, TimeSpan.FromMinutes(10), cancel.Token, onStdoutLine: line => child.TrySetResult(int.Parse(line)));
        var childId = await child.Task.WaitAsync(Patience);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        await WaitUntilGoneAsync(childId);
    }

    [Fact]
    public async Task Disposing_the_runner_as_the_host_stops_kills_running_tools_and_their_children()
    {
        var runner = new ProcessRunner(NullLogger<ProcessRunner>.Instance);
        var child = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);

        // Not cancellable: only the host's shutdown can end it.
        var run = runner.RunAsync("sh", ToolWithAChild, TimeSpan.FromMinutes(10), CancellationToken.None, onStdoutLine: line => child.TrySetResult(int.Parse(line)));
        var childId = await child.Task.WaitAsync(Patience);
        runner.Dispose();

        await Assert.ThrowsAsync<ProcessFailedException>(() => run.WaitAsync(Patience));
        await WaitUntilGoneAsync(childId);
    }

    /// <summary>Waits (generously: the machine may be busy) for the process to be gone; a zombie no one reaped counts as gone.</summary>
    private static async Task WaitUntilGoneAsync(int processId)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (IsRunning(processId))
        {
            Assert.True(DateTime.UtcNow < deadline, $"process {processId} still runs");
            await Task.Delay(50);
        }
    }

    private static bool IsRunning(int processId)
    {
        var stat = $"/proc/{processId}/stat";
        if (!File.Exists(stat))
        {
            return false;
        }
        try
        {
            var text = File.ReadAllText(stat);
            var state = text[(text.LastIndexOf(')') + 2)..][0];
            return state is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }
}
