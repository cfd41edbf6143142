namespace Veeky.Web.Components.Pages.Admin;

/// <summary>The <c>capabilities</c> of <c>/health</c> in words: what each one does for people, and whether it is on.</summary>
public static class Capabilities
{
    /// <summary>One sentence per capability, in the pipeline's order; an unknown one (added to the API later) is named as is.</summary>
    public static IReadOnlyList<(string Name, bool On, string Sentence)> Describe(IReadOnlyDictionary<string, string> capabilities)
    {
        var known = new (string Key, string On, string Off)[]
        {
            ("media", "Videos are read and cut with {0}.", "ffmpeg is missing: no video can be accepted or indexed."),
            ("transcription", "Speech is transcribed ({0}).", "Speech is not transcribed: no speech-to-text is installed or configured."),
            ("ocr", "Text on screen is read ({0}).", "Text on screen is not read: tesseract is not installed."),
            ("captions", "Keyframes are described by a vision model.", "Keyframes are not described: no vision or chat model is configured."),
            ("embeddings", "Search understands meaning (text embeddings).", "Search matches words only: no embedding model is configured."),
            ("imageEmbeddings", "Search by picture works (image embeddings).", "Search by picture is off: no image embedding model is configured."),
        };
        var described = new List<(string, bool, string)>();
        foreach (var (key, on, off) in known)
        {
            if (capabilities.TryGetValue(key, out var value))
            {
                var active = !string.Equals(value, "none", StringComparison.OrdinalIgnoreCase) && !string.Equals(value, "missing", StringComparison.OrdinalIgnoreCase);
                described.Add((key, active, active ? string.Format(System.Globalization.CultureInfo.InvariantCulture, on, value) : off));
            }
        }
        foreach (var (key, value) in capabilities.Where(c => known.All(k => k.Key != c.Key)))
        {
            described.Add((key, value != "none", $"{key}: {value}"));
        }
        return described;
    }

    /// <summary>Bytes as people read them: 1.5 GB, 320 MB.</summary>
    public static string Size(long bytes)
    {
        string[] units = ["bytes", "KB", "MB", "GB", "TB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? $"{bytes} bytes" : value.ToString(value < 10 ? "0.#" : "0", System.Globalization.CultureInfo.InvariantCulture) + " " + units[unit];
    }
}
