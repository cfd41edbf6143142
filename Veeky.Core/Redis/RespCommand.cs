using System.Buffers;
using System.Globalization;
using System.Text;

namespace Veeky.Redis;

/// <summary>Encodes a command as a RESP2 array of bulk strings, the form Redis accepts for every command.</summary>
internal static class RespCommand
{
    public static ReadOnlyMemory<byte> Encode(IReadOnlyList<string> arguments)
    {
        var writer = new ArrayBufferWriter<byte>(64);
        WriteHeader(writer, '*', arguments.Count);
        foreach (var argument in arguments)
        {
            WriteHeader(writer, '$', Encoding.UTF8.GetByteCount(argument));
            var span = writer.GetSpan(Encoding.UTF8.GetMaxByteCount(argument.Length) + 2);
            var written = Encoding.UTF8.GetBytes(argument, span);
            span[written] = (byte)'\r';
            span[written + 1] = (byte)'\n';
            writer.Advance(written + 2);
        }
        return writer.WrittenMemory;
    }

    private static void WriteHeader(ArrayBufferWriter<byte> writer, char prefix, int number)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{prefix}{number}\r\n");
        var span = writer.GetSpan(text.Length);
        writer.Advance(Encoding.ASCII.GetBytes(text, span));
    }
}
