namespace Veeky.Search;

/// <summary>
/// The in-memory vector indexes saved as one flat file (<c>{DataDirectory}/search-vectors/vectors.bin</c>), stamped
/// with the search.db generation they show, so a start reads them back in large sequential reads rather than decoding
/// one search.db row per moment (a gigabyte of codes at 1.2 million moments with keyframe vectors).
/// </summary>
/// <remarks>
/// search.db stays the truth: the file is used only when its generation is search.db's, and a file missing, unreadable
/// or behind (any write since it was saved, a crash) makes the start load from search.db's rows and save a new one.
/// Saved to a temporary file, flushed to disk, then renamed over the old one, so a crash while saving leaves the old
/// file or the new, never half of one. The layout is the machine's own (little-endian on every platform .NET runs
/// Veeky on); a file from elsewhere fails the byte-order check and is rebuilt.
/// </remarks>
public static class VectorFile
{
    private const long Magic = 0x3143_4556_594B_4545; // "EEKYVEC1" read little-endian
    private const int ByteOrder = 0x0102_0304;
    private const int BufferBytes = 1 << 20;

    /// <summary>The generation the file at <paramref name="path"/> was saved at; null when it is missing or not a vector file.</summary>
    public static long? ReadGeneration(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            using var reader = new BinaryReader(stream);
            return reader.ReadInt64() == Magic && reader.ReadInt32() == ByteOrder ? reader.ReadInt64() : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Fills both indexes from the file, which must be at <paramref name="generation"/>; throws when it is not.</summary>
    public static void Read(string path, long generation, VectorIndex text, VectorIndex image)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferBytes, FileOptions.SequentialScan);
        using var reader = new BinaryReader(stream);
        if (reader.ReadInt64() != Magic || reader.ReadInt32() != ByteOrder || reader.ReadInt64() != generation)
        {
            throw new InvalidDataException($"{path} is not the vector file of generation {generation}.");
        }
        text.ReadFrom(stream);
        image.ReadFrom(stream);
        if (stream.Position != stream.Length)
        {
            throw new InvalidDataException($"{path} has {stream.Length - stream.Position} bytes after its vectors.");
        }
    }

    /// <summary>Saves both indexes as <paramref name="generation"/>, replacing the file at <paramref name="path"/> in one step.</summary>
    public static void Write(string path, long generation, VectorIndex text, VectorIndex image)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferBytes))
            {
                using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
                {
                    writer.Write(Magic);
                    writer.Write(ByteOrder);
                    writer.Write(generation);
                }
                text.WriteTo(stream);
                image.WriteTo(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
