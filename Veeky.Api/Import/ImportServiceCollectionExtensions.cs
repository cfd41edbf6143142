using Microsoft.Extensions.Options;
using Veeky.Api.Videos;
using Veeky.Import;

namespace Veeky.Api.Import;

/// <summary>Registers import by URL's options and the watch folder (<c>Veeky:Import:*</c>, validated at start).</summary>
public static class ImportServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddVeekyImport(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<ImportOptions>(ImportOptions.Section);
        builder.Services.AddSingleton<IValidateOptions<ImportOptions>, WatchFolderValidator>();
        builder.Services.AddSingleton<VideoIntake>();
        builder.Services.AddSingleton<WatchFolderLease>();
        builder.Services.AddHostedService<WatchFolderImporter>();
        return builder;
    }

    /// <summary>A watch folder that is missing or unreadable stops the host at start, naming the setting.</summary>
    private sealed class WatchFolderValidator : IValidateOptions<ImportOptions>
    {
        public ValidateOptionsResult Validate(string? name, ImportOptions options)
        {
            if (options.Folder is not { } folder)
            {
                return ValidateOptionsResult.Success;
            }
            if (!Directory.Exists(folder))
            {
                return ValidateOptionsResult.Fail($"Veeky:Import:Folder names {folder}, which is not an existing folder.");
            }
            try
            {
                using var entries = Directory.EnumerateFileSystemEntries(folder).GetEnumerator();
                entries.MoveNext();
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
            {
                return ValidateOptionsResult.Fail($"Veeky:Import:Folder names {folder}, which this server may not read ({ex.Message}).");
            }
            return ValidateOptionsResult.Success;
        }
    }
}
