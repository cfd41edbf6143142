using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Veeky.Tests.Infrastructure;

/// <summary>
/// A small library of real, indexed videos: generated with words on screen and sentences spoken (SampleVideoGenerator),
/// uploaded through the API and indexed by the host's own pipeline, so every page shows what it shows for real uploads
/// (keyframes, transcript, chapters, a playable stream). The same six every time, in one category.
/// </summary>
internal static class SampleLibrary
{
    /// <summary>Words the search measurements type: each is on screen or spoken in at least one video.</summary>
    public static readonly string[] Queries =
        ["river", "bridge", "pasta", "salted water", "harbour", "cranes", "garden", "tomatoes", "mountain", "trail", "workshop", "goggles"];

    private static readonly (string Title, string Description, string Keywords, SampleScene[] Scenes, SampleSpeech[] Speech)[] Videos =
    [
        ("River survey", "Measuring the river flow at the old stone bridge.", "river,survey,field work",
            [new(4, "color=c=navy", "RIVER"), new(4, "color=c=darkgreen", "BRIDGE"), new(4, "testsrc2")],
            [new("The river flows quickly under the old stone bridge.", 0.5), new("We measure the water level every morning.", 6.5)]),
        ("Kitchen basics: pasta", "How long to boil pasta, and why the water is salted.", "cooking,pasta,kitchen",
            [new(4, "color=c=orange", "PASTA"), new(4, "color=c=maroon", "SALT"), new(4, "smptebars")],
            [new("Boil the pasta for ten minutes in salted water.", 0.5), new("Taste it before you drain it.", 6.5)]),
        ("Harbour cranes at work", "Container cranes loading a ship at night.", "harbour,logistics",
            [new(4, "color=c=black", "HARBOUR"), new(4, "color=c=darkblue", "CRANES"), new(4, "testsrc")],
            [new("The harbour cranes load one container every minute.", 0.5), new("Ships leave with the morning tide.", 6.5)]),
        ("Garden tour in June", "Raised beds, tomatoes and the compost heap.", "garden,tomatoes,compost",
            [new(4, "color=c=forestgreen", "GARDEN"), new(4, "color=c=firebrick", "TOMATOES"), new(4, "rgbtestsrc")],
            [new("The garden is full of tomatoes in June.", 0.5), new("Water the raised beds in the evening.", 6.5)]),
        ("Mountain trail briefing", "What to pack for the ridge walk.", "mountain,hiking,safety",
            [new(4, "color=c=slategray", "MOUNTAIN"), new(4, "color=c=sienna", "TRAIL"), new(4, "testsrc2")],
            [new("The mountain trail is steep after the second bridge.", 0.5), new("Bring water and a warm jacket.", 6.5)]),
        ("Workshop safety", "Goggles, gloves and the emergency stop.", "workshop,safety,training",
            [new(4, "color=c=goldenrod", "WORKSHOP"), new(4, "color=c=darkred", "GOGGLES"), new(4, "smptebars")],
            [new("Always wear goggles in the workshop.", 0.5), new("The red button stops every machine at once.", 6.5)]),
    ];

    /// <summary>Generates, uploads and waits for the indexing of the six videos; their ids in order.</summary>
    public static async Task<IReadOnlyList<Guid>> SeedAsync(HttpClient api, string workFolder)
    {
        var generator = new SampleVideoGenerator();
        using var created = await api.PostAsJsonAsync("/api/categories", new { name = "Field notes" });
        created.EnsureSuccessStatusCode();
        var category = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var ids = new List<Guid>();
        foreach (var (title, description, keywords, scenes, speech) in Videos)
        {
            var file = Path.Combine(workFolder, $"sample-{ids.Count}.mp4");
            await generator.GenerateAsync(new SampleVideoSpec(640, 360, 25, scenes, speech), file);
            using var form = new MultipartFormDataContent
            {
                { new StringContent(title), "title" },
                { new StringContent(description), "description" },
                { new StringContent(keywords), "keywords" },
                { new StringContent(category.ToString()), "categoryId" },
            };
            var video = new StreamContent(File.OpenRead(file));
            video.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
            form.Add(video, "file", Path.GetFileName(file));
            using var uploaded = await api.PostAsync("/api/videos", form);
            uploaded.EnsureSuccessStatusCode();
            ids.Add((await uploaded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
            File.Delete(file);
            Console.WriteLine($"Uploaded \"{title}\"");
        }
        foreach (var id in ids)
        {
            await WaitUntilIndexedAsync(api, id);
        }
        return ids;
    }

    private static async Task WaitUntilIndexedAsync(HttpClient api, Guid id)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(20);
        while (true)
        {
            var video = await api.GetFromJsonAsync<JsonElement>($"/api/videos/{id}");
            var status = video.GetProperty("status").GetString();
            if (status == "Completed")
            {
                Console.WriteLine($"Indexed \"{video.GetProperty("title").GetString()}\"");
                return;
            }
            if (status == "Failed" || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"Video {id} did not index: {status} {video}");
            }
            await Task.Delay(1000);
        }
    }
}
