namespace Predictive.Chain.Rlp;

/// <summary>
/// Strict RLP decoding: every item must be in its one canonical form (shortest header, no leading zeros in lengths,
/// single bytes below 0x80 not wrapped), lengths must fit the input, and nothing may follow the top-level item.
/// </summary>
public static class RlpDecoder
{
    private const int MaxDepth = 64;

    /// <summary>Decodes exactly one item that spans all of <paramref name="input"/>.</summary>
    /// <exception cref="RlpException">The input is malformed or not canonical.</exception>
    public static RlpItem Decode(ReadOnlySpan<byte> input)
    {
        var position = 0;
        var item = ReadItem(input, ref position, input.Length, 0);
        if (position != input.Length)
        {
            throw new RlpException(position, $"{input.Length - position} trailing byte(s) after the item");
        }

        return item;
    }

    private static RlpItem ReadItem(ReadOnlySpan<byte> input, ref int position, int end, int depth)
    {
        if (position >= end)
        {
            throw new RlpException(position, "input ends where an item was expected");
        }

        var start = position;
        var prefix = input[position];
        if (prefix < 0x80)
        {
            position++;
            return new RlpString([prefix]);
        }

        if (prefix <= 0xbf)
        {
            var length = ReadLength(input, ref position, end, 0x80, 0xb7);
            var bytes = input.Slice(position, length).ToArray();
            if (length == 1 && bytes[0] < 0x80)
            {
                throw new RlpException(start, $"single byte 0x{bytes[0]:x2} must be encoded as itself, not with a prefix");
            }

            position += length;
            return new RlpString(bytes);
        }

        if (depth >= MaxDepth)
        {
            throw new RlpException(start, $"lists nest deeper than {MaxDepth}");
        }

        var payload = ReadLength(input, ref position, end, 0xc0, 0xf7);
        var listEnd = position + payload;
        var items = new List<RlpItem>();
        while (position < listEnd)
        {
            items.Add(ReadItem(input, ref position, listEnd, depth + 1));
        }

        return new RlpList([.. items]);
    }

    /// <summary>Reads a string or list header and returns the payload length, checked against the input.</summary>
    private static int ReadLength(ReadOnlySpan<byte> input, ref int position, int end, byte shortBase, byte longBase)
    {
        var start = position;
        var prefix = input[position++];
        int length;
        if (prefix <= longBase)
        {
            length = prefix - shortBase;
        }
        else
        {
            var lengthOfLength = prefix - longBase;
            if (lengthOfLength > 4 || position + lengthOfLength > end)
            {
                throw new RlpException(start, $"length of length {lengthOfLength} runs past the input");
            }

            if (input[position] == 0)
            {
                throw new RlpException(start, "length has a leading zero byte");
            }

            long value = 0;
            for (var i = 0; i < lengthOfLength; i++)
            {
                value = (value << 8) | input[position++];
            }

            if (value < 56)
            {
                throw new RlpException(start, $"length {value} uses the long form but fits the short form");
            }

            if (value > int.MaxValue)
            {
                throw new RlpException(start, $"length {value} is too large");
            }

            length = (int)value;
        }

        if (length > end - position)
        {
            throw new RlpException(start, $"payload of {length} byte(s) runs past the end ({end - position} left)");
        }

        return length;
    }
}
