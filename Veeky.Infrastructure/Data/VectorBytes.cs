using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Veeky.Data;

/// <summary>
/// Embeddings as stored in the database: float32 little-endian bytes in a BLOB (SQLite) or bytea (PostgreSQL), a
/// quarter of the size of their JSON text and read without parsing.
/// </summary>
public static class VectorBytes
{
    /// <summary>EF never hands a null to a converter (a null stays NULL); the nullable types match the properties.</summary>
    public static readonly ValueConverter<float[]?, byte[]?> Converter = new(v => ToBytes(v!), b => FromBytes(b!));

    /// <summary>Compares by content: the default reference comparison would miss an element changed in place.</summary>
    public static readonly ValueComparer<float[]?> Comparer = new(
        (a, b) => SameContent(a, b),
        v => ContentHash(v),
        v => v == null ? null : v.ToArray());

    private static bool SameContent(float[]? a, float[]? b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);

    private static int ContentHash(float[]? v) => v is null || v.Length == 0 ? 0 : HashCode.Combine(v.Length, v[0], v[^1]);

    public static byte[] ToBytes(float[] vector)
    {
        var bytes = new byte[vector.Length * sizeof(float)];
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(vector.AsSpan()).CopyTo(bytes);
        }
        else
        {
            for (var i = 0; i < vector.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), vector[i]);
            }
        }
        return bytes;
    }

    public static float[] FromBytes(byte[] bytes)
    {
        if (bytes.Length % sizeof(float) != 0)
        {
            throw new InvalidDataException($"A stored embedding of {bytes.Length} bytes is not a whole number of float32 values.");
        }
        var vector = new float[bytes.Length / sizeof(float)];
        if (BitConverter.IsLittleEndian)
        {
            bytes.AsSpan().CopyTo(MemoryMarshal.AsBytes(vector.AsSpan()));
        }
        else
        {
            for (var i = 0; i < vector.Length; i++)
            {
                vector[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
            }
        }
        return vector;
    }
}
