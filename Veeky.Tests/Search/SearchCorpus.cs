using Veeky.Identity;
using Veeky.Search;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Search;

/// <summary>
/// A small library of videos in three categories, written so each conformance test has a case to point at: a word in
/// a title against the same word in a transcript, a stem, HTML in a transcript, a moment that matches only by meaning.
/// </summary>
public static class SearchCorpus
{
    public static readonly Guid Cooking = Guid.Parse("0c0c0c0c-0000-0000-0000-000000000001");
    public static readonly Guid Medicine = Guid.Parse("0c0c0c0c-0000-0000-0000-000000000002");
    public static readonly Guid Travel = Guid.Parse("0c0c0c0c-0000-0000-0000-000000000003");

    public static readonly Guid KnifeVideo = Guid.Parse("0f0f0f0f-0000-0000-0000-000000000001");
    public static readonly Guid BreadVideo = Guid.Parse("0f0f0f0f-0000-0000-0000-000000000002");
    public static readonly Guid ClinicVideo = Guid.Parse("0f0f0f0f-0000-0000-0000-000000000003");
    public static readonly Guid TripVideo = Guid.Parse("0f0f0f0f-0000-0000-0000-000000000004");

    public static readonly AccessScope Admin = new(Guid.NewGuid(), Roles.Admin, new HashSet<Guid>());
    public static readonly AccessScope Cook = new(Guid.NewGuid(), Roles.User, new HashSet<Guid> { Cooking });
    public static readonly AccessScope Nurse = new(Guid.NewGuid(), Roles.User, new HashSet<Guid> { Medicine });
    public static readonly AccessScope Nobody = new(Guid.NewGuid(), Roles.User, new HashSet<Guid>());

    public static VideoDocument Knife { get; } = new(KnifeVideo, Cooking, "Knife skills for beginners",
        "Learn to hold a chef's knife safely.", ["chopping", "onion"], null, DateTimeOffset.UnixEpoch);

    public static VideoDocument Bread { get; } = new(BreadVideo, Cooking, "Baking sourdough bread",
        null, ["yeast"], "A slow loaf from starter to crust.", DateTimeOffset.UnixEpoch);

    public static VideoDocument Clinic { get; } = new(ClinicVideo, Medicine, "A day at the clinic",
        "Patients and staff on a busy Monday.", ["health"], null, DateTimeOffset.UnixEpoch);

    public static VideoDocument Trip { get; } = new(TripVideo, Travel, "Road trip along the coast",
        null, ["travel"], null, DateTimeOffset.UnixEpoch);

    public static IReadOnlyList<SegmentDocument> KnifeSegments { get; } =
    [
        Segment(KnifeVideo, 0, 0, 12, transcript: "Welcome to the kitchen. Today we talk about cutting boards."),
        Segment(KnifeVideo, 1, 12, 30, transcript: "Hold the onion firmly and slice it thin."),
        Segment(KnifeVideo, 2, 30, 41, ocr: "ONION DICE 101"),
    ];

    public static IReadOnlyList<SegmentDocument> BreadSegments { get; } =
    [
        Segment(BreadVideo, 0, 0, 20,
            transcript: "In cold weather the fermentation runs slowly. Later a serrated knife cuts the loaf without tearing it."),
        Segment(BreadVideo, 1, 20, 35, transcript: "<script>alert('x')</script> Tap the crust & listen: a hollow sound means done."),
    ];

    public static IReadOnlyList<SegmentDocument> ClinicSegments { get; } =
    [
        // Shares no word with the query "doctor": only the embedding (physician ~ doctor) can find it.
        Segment(ClinicVideo, 0, 0, 15, transcript: "The physician examined the patient carefully."),
        Segment(ClinicVideo, 1, 15, 25, ocr: "EMERGENCY ROOM", caption: "A nurse holding a stethoscope"),
    ];

    public static IReadOnlyList<SegmentDocument> TripSegments { get; } =
    [
        Segment(TripVideo, 0, 0, 18, transcript: "We drove for hours beside the waves, windows down."),
    ];

    public static async Task IndexAsync(ISearchIndex index)
    {
        await index.ReplaceVideoAsync(Knife, KnifeSegments);
        await index.ReplaceVideoAsync(Bread, BreadSegments);
        await index.ReplaceVideoAsync(Clinic, ClinicSegments);
        await index.ReplaceVideoAsync(Trip, TripSegments);
    }

    /// <summary>A segment whose text embedding comes from the test generator, as the indexer would compute it.</summary>
    public static SegmentDocument Segment(Guid videoId, int index, double start, double end,
        string? transcript = null, string? ocr = null, string? caption = null) =>
        new(videoId, index, start, end, transcript, ocr, caption, [],
            TextEmbedding: TestHashingEmbeddingGenerator.Embed(string.Join(' ', new[] { transcript, ocr, caption }.Where(t => t is not null))));
}
