using System.Numerics;
using System.Text;
using Predictive.Chain.Crypto;
using Predictive.Chain.Primitives;

namespace Predictive.Chain.Abi;

/// <summary>
/// Strict ABI decoding: offsets and lengths must lie inside the data, padding must be zero, and integers, addresses
/// and bools must not carry bits outside their width. Returns values in the shapes listed on <see cref="AbiType"/>
/// (arrays and tuples as <see cref="object"/>[]).
/// </summary>
public static class AbiDecoder
{
    private static readonly BigInteger TwoTo256 = BigInteger.One << 256;

    /// <summary>Decodes <paramref name="data"/> as the tuple of <paramref name="types"/>.</summary>
    /// <exception cref="AbiException">The data does not hold values of these types.</exception>
    public static object?[] Decode(IReadOnlyList<AbiType> types, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(types);
        return DecodeSequence(types, data, 0, "value ");
    }

    /// <summary>Decodes one value of a static type from a 32-byte word (as found in an event topic).</summary>
    internal static object? DecodeWord(AbiType type, ReadOnlySpan<byte> word, string path) => DecodeValue(type, word, 0, path);

    private static object?[] DecodeSequence(IReadOnlyList<AbiType> types, ReadOnlySpan<byte> data, int start, string path)
    {
        var values = new object?[types.Count];
        var headPosition = start;
        for (var i = 0; i < types.Count; i++)
        {
            var itemPath = path + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (types[i].IsDynamic)
            {
                var offset = ReadLength(data, headPosition, itemPath, "offset");
                if (offset > data.Length - start)
                {
                    throw new AbiException(itemPath, $"offset {offset} points past the end of the data");
                }

                values[i] = DecodeValue(types[i], data, start + offset, itemPath);
                headPosition += 32;
            }
            else
            {
                values[i] = DecodeValue(types[i], data, headPosition, itemPath);
                headPosition += types[i].HeadSize;
            }
        }

        return values;
    }

    private static object? DecodeValue(AbiType type, ReadOnlySpan<byte> data, int position, string path)
    {
        switch (type)
        {
            case AbiAddress:
                var addressWord = ReadWord(data, position, path);
                RequireZero(addressWord[..12], path, "address has non-zero high bytes");
                return EthAddress.FromBytes(addressWord[12..]);
            case AbiBool:
                var boolWord = ReadWord(data, position, path);
                RequireZero(boolWord[..31], path, "bool is neither 0 nor 1");
                return boolWord[31] switch
                {
                    0 => false,
                    1 => true,
                    _ => throw new AbiException(path, "bool is neither 0 nor 1"),
                };
            case AbiInteger integer:
                return DecodeInteger(integer, ReadWord(data, position, path), path);
            case AbiFixedBytes fixedBytes:
                var bytesWord = ReadWord(data, position, path);
                RequireZero(bytesWord[fixedBytes.Size..], path, $"{type.Canonical} has non-zero padding");
                return bytesWord[..fixedBytes.Size].ToArray();
            case AbiBytes:
                return ReadDynamicBytes(data, position, path);
            case AbiString:
                try
                {
                    return new UTF8Encoding(false, true).GetString(ReadDynamicBytes(data, position, path));
                }
                catch (DecoderFallbackException e)
                {
                    throw new AbiException(path, "string is not valid UTF-8", e);
                }

            case AbiArray array:
                var count = array.Length ?? ReadLength(data, position, path, "array length");
                var elementsStart = array.Length is null ? position + 32 : position;
                var minimumSize = (long)count * (array.Element.IsDynamic ? 32 : array.Element.HeadSize);
                if (minimumSize > data.Length - elementsStart)
                {
                    throw new AbiException(path, $"{count} element(s) of {array.Element.Canonical} do not fit in the data");
                }

                return DecodeSequence([.. Enumerable.Repeat(array.Element, count)], data, elementsStart, path + "[");
            case AbiTuple tuple:
                return DecodeSequence(tuple.Components, data, position, path + ".");
            default:
                throw new AbiException(path, $"unsupported type {type.Canonical}");
        }
    }

    private static BigInteger DecodeInteger(AbiInteger type, ReadOnlySpan<byte> word, string path)
    {
        var raw = Hex.FromBigEndian(word);
        var value = type.IsSigned && raw >= TwoTo256 >> 1 ? raw - TwoTo256 : raw;
        var (min, max) = AbiEncoder.Range(type);
        if (value < min || value > max)
        {
            throw new AbiException(path, $"word does not hold a {type.Canonical} (dirty high bits)");
        }

        return value;
    }

    private static byte[] ReadDynamicBytes(ReadOnlySpan<byte> data, int position, string path)
    {
        var length = ReadLength(data, position, path, "length");
        var start = position + 32;
        var padded = (length + 31) / 32 * 32;
        if (padded > data.Length - start)
        {
            throw new AbiException(path, $"{length} byte(s) run past the end of the data");
        }

        RequireZero(data.Slice(start + length, padded - length), path, "bytes have non-zero padding");
        return data.Slice(start, length).ToArray();
    }

    private static int ReadLength(ReadOnlySpan<byte> data, int position, string path, string what)
    {
        var value = Hex.FromBigEndian(ReadWord(data, position, path));
        if (value > int.MaxValue - 64)
        {
            throw new AbiException(path, $"{what} {value} is too large");
        }

        return (int)value;
    }

    private static ReadOnlySpan<byte> ReadWord(ReadOnlySpan<byte> data, int position, string path)
    {
        if (position < 0 || position > data.Length - 32)
        {
            throw new AbiException(path, $"data ends before the word at byte {position} ({data.Length} byte(s) in all)");
        }

        return data.Slice(position, 32);
    }

    private static void RequireZero(ReadOnlySpan<byte> bytes, string path, string problem)
    {
        if (bytes.ContainsAnyExcept((byte)0))
        {
            throw new AbiException(path, problem);
        }
    }
}
