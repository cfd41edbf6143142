using Microsoft.Extensions.Options;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Data;

/// <summary><c>Veeky:DataDirectory</c> is bound once into validated options: a setting that names no usable folder stops
/// the host at start with one sentence naming it, before anything is created anywhere.</summary>
public sealed class DataFolderSettingTests
{
    [Fact]
    public async Task An_empty_data_folder_setting_stops_the_host_with_a_sentence_naming_it()
    {
        var validation = await StartFailureAsync("");

        Assert.Contains("Veeky:DataDirectory is empty", validation.Message);
    }

    [Fact]
    public async Task A_data_folder_setting_that_names_a_file_stops_the_host_with_a_sentence_naming_it()
    {
        using var folder = new TempFolder();
        var file = Path.Combine(folder.Path, "veeky.db");
        await File.WriteAllTextAsync(file, "not a folder", TestContext.Current.CancellationToken);

        var validation = await StartFailureAsync(file);

        Assert.Contains($"Veeky:DataDirectory has '{file}', which is a file, not a folder.", validation.Message);
        Assert.Equal(["veeky.db"], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName));
    }

    private static async Task<OptionsValidationException> StartFailureAsync(string dataDirectory)
    {
        await using var factory = new ApiFactory(settings: new Dictionary<string, string?> { ["Veeky:DataDirectory"] = dataDirectory });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        // Wrapped by the test server's start (the host's Program runs by reflection); a real host stops with it alone.
        for (var cause = error; cause is not null; cause = cause.InnerException)
        {
            if (cause is OptionsValidationException validation)
            {
                return validation;
            }
        }
        // The whole exception in the message: a different failure at start must say what it was.
        throw new Xunit.Sdk.XunitException($"Expected the options validation to stop the host, got: {error}");
    }
}
