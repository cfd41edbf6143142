using Veeky.Data;

namespace Veeky.Api.Admin;

/// <summary>
/// Maintenance commands of the API executable (<c>dotnet run --project Veeky.Api -- rebuild-search-index</c>): run on the
/// configured database and index without starting the web server, then exit.
/// </summary>
public static class AdminCommands
{
    public const string RebuildSearchIndex = "rebuild-search-index";

    /// <summary>Whether <paramref name="args"/> name the command, anywhere among settings such as
    /// <c>--Veeky:DataDirectory /srv/veeky</c> (configuration ignores a bare word).</summary>
    public static bool IsCommand(string[] args) => args.Contains(RebuildSearchIndex, StringComparer.Ordinal);

    /// <summary>Runs the command and returns the process exit code.</summary>
    public static async Task<int> RunAsync(IServiceProvider services, TextWriter output, CancellationToken ct = default)
    {
        try
        {
            // Same start-up work the hosts do, so the command also works on a database no host has opened yet.
            await services.GetRequiredService<SchemaMigrator>().MigrateAsync(ct);
            var result = await services.GetRequiredService<SearchIndexRebuilder>().TryRebuildAsync(ct)
                ?? throw new InvalidOperationException("A rebuild is already running.");
            await output.WriteLineAsync($"Search index rebuilt: {result.Indexed} of {result.Total} completed videos indexed.");
            return 0;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await output.WriteLineAsync($"Search index rebuild failed: {ex.Message}");
            return 1;
        }
    }
}
