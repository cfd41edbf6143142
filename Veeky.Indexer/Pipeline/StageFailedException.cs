using Veeky.AI;
using Veeky.Media;
using Veeky.Processes;
using Veeky.Videos;

namespace Veeky.Indexer.Pipeline;

/// <summary>
/// Indexing failed. The message is what the video's <c>error</c> shows to everyone who can see the video: a sentence
/// naming the step and the kind of trouble, never a tool's stderr or a server path. The detail stays in the inner
/// exception, which the runner and the worker log.
/// </summary>
public sealed class StageFailedException(VideoStage? stage, string message, Exception inner) : Exception(message, inner)
{
    /// <summary>The stage that failed; null when the failure came between stages (saving progress, a checkpoint).</summary>
    public VideoStage? Stage { get; } = stage;

    public static StageFailedException From(VideoStage? stage, Exception error) => new(stage, SentenceFor(stage, error), error);

    /// <summary>The sentence for people. Messages Veeky writes itself for them (a model server's refusal with its fix,
    /// "not a readable video", a stage's own check) pass as they are; a tool's failure, an I/O error or anything
    /// unexpected becomes a sentence of its kind.</summary>
    public static string SentenceFor(VideoStage? stage, Exception error)
    {
        var step = stage is { } known ? $"{Describe(known)} failed" : "Indexing failed";
        return error switch
        {
            ToolNotFoundException missing => $"{step}: {Path.GetFileName(missing.Tool)} is not installed on the indexing server.",
            ProcessFailedException { ExitCode: -1 } tool => $"{step}: {Path.GetFileName(tool.Tool)} took too long and was stopped.",
            ProcessFailedException tool => $"{step}: {Path.GetFileName(tool.Tool)} could not process the video (exit code {tool.ExitCode}). The server log has the details.",
            MediaStoreWriteException { DiskFull: true } => $"{step}: the server's disk is full.",
            _ when MediaStoreWriteException.IsDiskFull(error) => $"{step}: the server's disk is full.",
            MediaStoreWriteException or IOException or UnauthorizedAccessException =>
                $"{step}: the server could not read or write the video's files. The server log has the details.",
            ModelServerException or InvalidDataException or InvalidOperationException => error.Message,
            _ => $"{step} unexpectedly. The server log has the details.",
        };
    }

    private static string Describe(VideoStage stage) => stage switch
    {
        VideoStage.Downloading => "Downloading the video",
        VideoStage.Probing => "Reading the video's format",
        VideoStage.DetectingScenes => "Detecting scenes",
        VideoStage.ExtractingKeyframes => "Taking keyframes",
        VideoStage.Transcribing => "Transcribing the speech",
        VideoStage.ReadingText => "Reading the text on screen",
        VideoStage.Enriching => "Describing the video with AI models",
        VideoStage.Indexing => "Indexing for search",
        _ => stage.ToString(),
    };
}
