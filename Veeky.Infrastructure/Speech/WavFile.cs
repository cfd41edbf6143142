using System.Buffers.Binary;

namespace Veeky.Speech;

/// <summary>Reads the length of a PCM WAV file from its header, so audio can be planned into chunks without a tool.</summary>
internal static class WavFile
{
    /// <summary>Duration in seconds, or null when the file is not a RIFF/WAVE file Veeky can read.</summary>
    public static double? ReadDuration(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> header = stackalloc byte[12];
        if (stream.ReadAtLeast(header, 12, throwOnEndOfStream: false) < 12
            || !header[..4].SequenceEqual("RIFF"u8) || !header[8..12].SequenceEqual("WAVE"u8))
        {
            return null;
        }

        int? byteRate = null;
        Span<byte> chunkHeader = stackalloc byte[8];
        Span<byte> format = stackalloc byte[16];
        while (stream.ReadAtLeast(chunkHeader, 8, throwOnEndOfStream: false) == 8)
        {
            var size = BinaryPrimitives.ReadUInt32LittleEndian(chunkHeader[4..]);
            if (chunkHeader[..4].SequenceEqual("fmt "u8))
            {
                if (stream.ReadAtLeast(format, 16, throwOnEndOfStream: false) < 16) return null;
                byteRate = BinaryPrimitives.ReadInt32LittleEndian(format[8..]);
                stream.Seek(size - 16 + (size % 2), SeekOrigin.Current);
            }
            else if (chunkHeader[..4].SequenceEqual("data"u8))
            {
                if (byteRate is not > 0) return null;
                // Tools writing to a pipe leave the size at its maximum; the rest of the file is the data then.
                var dataBytes = Math.Min(size, stream.Length - stream.Position);
                return (double)dataBytes / byteRate.Value;
            }
            else
            {
                stream.Seek(size + (size % 2), SeekOrigin.Current);
            }
        }
        return null;
    }
}
