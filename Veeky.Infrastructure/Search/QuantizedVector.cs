using System.Buffers.Binary;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Veeky.Search;

/// <summary>
/// A normalised vector as int8 codes with one scale per vector: component i is about <c>Scale * Codes[i]</c>.
/// </summary>
/// <remarks>
/// The scale is the vector's own largest magnitude / 127, so the codes use the whole int8 range whatever the embedding
/// model's value distribution and need no training data (a per-dimension scale would have to be learnt and re-applied
/// to every stored code when the library changes). A quarter of the bytes of float32, and the dot product of two code
/// vectors runs on 32 components per instruction. The error is well below the gap between a moment's true neighbours
/// and the rest, and the best few hundred are rescored with the float32 vectors anyway.
/// </remarks>
public readonly record struct QuantizedVector(float Scale, sbyte[] Codes)
{
    /// <summary>Bytes of <see cref="ToBlob"/> for a vector of this many dimensions: the scale, then the codes.</summary>
    public static int BlobLength(int dimensions) => sizeof(float) + dimensions;

    public int Dimension => Codes.Length;

    public static QuantizedVector From(ReadOnlySpan<float> vector)
    {
        // MaxMagnitude returns the component itself, sign included.
        var max = Math.Abs(TensorPrimitives.MaxMagnitude(vector));
        var codes = new sbyte[vector.Length];
        if (!(max > 0))
        {
            return new QuantizedVector(0, codes);
        }
        var inverse = 127f / max;
        for (var i = 0; i < vector.Length; i++)
        {
            codes[i] = (sbyte)Math.Clamp(MathF.Round(vector[i] * inverse), -127f, 127f);
        }
        return new QuantizedVector(max / 127f, codes);
    }

    public byte[] ToBlob()
    {
        var blob = new byte[BlobLength(Codes.Length)];
        BinaryPrimitives.WriteSingleLittleEndian(blob, Scale);
        MemoryMarshal.AsBytes(Codes.AsSpan()).CopyTo(blob.AsSpan(sizeof(float)));
        return blob;
    }

    public static QuantizedVector FromBlob(ReadOnlySpan<byte> blob) =>
        new(BinaryPrimitives.ReadSingleLittleEndian(blob), MemoryMarshal.Cast<byte, sbyte>(blob[sizeof(float)..]).ToArray());

    /// <summary>The exact integer dot product of two code vectors of equal length.</summary>
    public static int Dot(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b)
    {
        ref var left = ref MemoryMarshal.GetReference(a);
        ref var right = ref MemoryMarshal.GetReference(b);
        var i = 0;
        var sum = 0;
        if (Avx2.IsSupported && a.Length >= Vector256<sbyte>.Count)
        {
            // Sign-extend 16 codes to int16, then vpmaddwd multiplies and adds neighbouring pairs into int32: no overflow
            // (2 x 127 x 127) and two instructions per 16 components.
            var accumulator = Vector256<int>.Zero;
            for (; i <= a.Length - Vector128<sbyte>.Count; i += Vector128<sbyte>.Count)
            {
                var x = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref left, (nuint)i));
                var y = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref right, (nuint)i));
                accumulator = Avx2.Add(accumulator, Avx2.MultiplyAddAdjacent(x, y));
            }
            sum = Vector256.Sum(accumulator);
        }
        else if (Vector128.IsHardwareAccelerated && a.Length >= Vector128<sbyte>.Count)
        {
            var accumulator = Vector128<int>.Zero;
            for (; i <= a.Length - Vector128<sbyte>.Count; i += Vector128<sbyte>.Count)
            {
                var (xLow, xHigh) = Vector128.Widen(Vector128.LoadUnsafe(ref left, (nuint)i));
                var (yLow, yHigh) = Vector128.Widen(Vector128.LoadUnsafe(ref right, (nuint)i));
                // Each product fits int16 (127 x 127) but not the sum of two, so widen before adding.
                var (p0, p1) = Vector128.Widen(xLow * yLow);
                var (p2, p3) = Vector128.Widen(xHigh * yHigh);
                accumulator += p0 + p1 + p2 + p3;
            }
            sum = Vector128.Sum(accumulator);
        }
        for (; i < a.Length; i++)
        {
            sum += Unsafe.Add(ref left, i) * Unsafe.Add(ref right, i);
        }
        return sum;
    }
}
