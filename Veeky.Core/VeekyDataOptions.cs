using System.ComponentModel.DataAnnotations;

namespace Veeky;

/// <summary>
/// Where a host keeps its files, under the <c>Veeky</c> section: bound once (<c>AddVeekyDataFolder</c>), checked at
/// start and injected wherever a path under the data folder is needed, in every host including the UI-only one.
/// </summary>
public sealed class VeekyDataOptions : IValidatableObject
{
    public const string Section = VeekyOptions.Section;

    /// <summary>Folder holding veeky.db, search.db, the key rings and media/ in the embedded edition.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Media root; defaults to <c>{DataDirectory}/media</c>. In the distributed edition a shared volume.</summary>
    public string? MediaDirectory { get; set; }

    // Methods, not properties: validation reads every property, and these throw on the paths it is there to refuse.
    public string FullDataDirectory() => Path.GetFullPath(DataDirectory);

    public string ResolvedMediaDirectory() => Path.GetFullPath(MediaDirectory ?? Path.Combine(DataDirectory, "media"));

    /// <summary>The data-protection key ring every host of one installation shares.</summary>
    public string KeysDirectory() => Path.Combine(FullDataDirectory(), "keys");

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        Check(nameof(DataDirectory), DataDirectory, required: true).Concat(Check(nameof(MediaDirectory), MediaDirectory, required: false));

    private static IEnumerable<ValidationResult> Check(string name, string? value, bool required)
    {
        var setting = $"{Section}:{name}";
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required || value is not null)
            {
                yield return new($"{setting} is empty; set it to the folder Veeky keeps its files in.", [name]);
            }
            yield break;
        }
        string full;
        try
        {
            full = Path.GetFullPath(value);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            full = "";
        }
        if (full.Length == 0 || value.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            yield return new($"{setting} has '{value}', which is not a folder path.", [name]);
        }
        else if (File.Exists(full))
        {
            yield return new($"{setting} has '{value}', which is a file, not a folder.", [name]);
        }
    }
}
