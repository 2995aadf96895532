using System.Buffers;

namespace Predictive.Chain.Rlp;

/// <summary>Recursive Length Prefix encoding (Ethereum Yellow Paper, appendix B).</summary>
public static class RlpEncoder
{
    /// <summary>Encodes an item.</summary>
    public static byte[] Encode(RlpItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var writer = new ArrayBufferWriter<byte>(EncodedLength(item));
        Write(item, writer);
        return writer.WrittenSpan.ToArray();
    }

    private static int EncodedLength(RlpItem item) => item switch
    {
        RlpString { Value: [< 0x80] } => 1,
        RlpString s => HeaderLength(s.Value.Length) + s.Value.Length,
        RlpList l => HeaderLength(PayloadLength(l)) + PayloadLength(l),
        _ => throw new ArgumentException($"Unknown RLP item type {item.GetType().Name}.", nameof(item)),
    };

    private static int PayloadLength(RlpList list)
    {
        var total = 0;
        foreach (var child in list.Items)
        {
            total += EncodedLength(child);
        }

        return total;
    }

    private static int HeaderLength(int payloadLength) => payloadLength < 56 ? 1 : 1 + LengthOfLength(payloadLength);

    private static int LengthOfLength(int length)
    {
        var count = 0;
        for (var rest = length; rest > 0; rest >>= 8)
        {
            count++;
        }

        return count;
    }

    private static void Write(RlpItem item, ArrayBufferWriter<byte> writer)
    {
        switch (item)
        {
            case RlpString { Value: [< 0x80 and var single] }:
                writer.Write<byte>([single]);
                break;
            case RlpString s:
                WriteHeader(writer, 0x80, s.Value.Length);
                writer.Write(s.Value);
                break;
            case RlpList l:
                WriteHeader(writer, 0xc0, PayloadLength(l));
                foreach (var child in l.Items)
                {
                    Write(child, writer);
                }

                break;
            default:
                throw new ArgumentException($"Unknown RLP item type {item.GetType().Name}.", nameof(item));
        }
    }

    private static void WriteHeader(ArrayBufferWriter<byte> writer, byte offset, int length)
    {
        if (length < 56)
        {
            writer.Write<byte>([(byte)(offset + length)]);
            return;
        }

        var lengthOfLength = LengthOfLength(length);
        Span<byte> header = stackalloc byte[1 + lengthOfLength];
        header[0] = (byte)(offset + 55 + lengthOfLength);
        for (var i = lengthOfLength; i >= 1; i--, length >>= 8)
        {
            header[i] = (byte)length;
        }

        writer.Write(header);
    }
}
