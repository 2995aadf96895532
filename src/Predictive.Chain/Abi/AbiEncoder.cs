using System.Collections;
using System.Numerics;
using System.Text;
using Predictive.Chain.Crypto;
using Predictive.Chain.Primitives;

namespace Predictive.Chain.Abi;

/// <summary>
/// Standard (non-packed) ABI encoding: a head of static values and offsets, then a tail of dynamic values.
/// Integers are range-checked against their declared width; bytesN takes exactly N bytes.
/// </summary>
public static class AbiEncoder
{
    private static readonly BigInteger TwoTo256 = BigInteger.One << 256;

    /// <summary>Encodes <paramref name="values"/> as the tuple of <paramref name="types"/> (function arguments or return values).</summary>
    /// <exception cref="AbiException">A value does not fit its type.</exception>
    public static byte[] Encode(IReadOnlyList<AbiType> types, IReadOnlyList<object?> values)
    {
        ArgumentNullException.ThrowIfNull(types);
        ArgumentNullException.ThrowIfNull(values);
        if (types.Count != values.Count)
        {
            throw new AbiException("arguments", $"{values.Count} value(s) given for {types.Count} parameter(s)");
        }

        var output = new List<byte>();
        EncodeSequence(types, values, output, "arg ");
        return [.. output];
    }

    private static void EncodeSequence(IReadOnlyList<AbiType> types, IReadOnlyList<object?> values, List<byte> output, string path)
    {
        var headSize = types.Sum(t => t.HeadSize);
        var head = new List<byte>(headSize);
        var tail = new List<byte>();
        for (var i = 0; i < types.Count; i++)
        {
            var itemPath = path + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (types[i].IsDynamic)
            {
                head.AddRange(Word(headSize + tail.Count));
                EncodeValue(types[i], values[i], tail, itemPath);
            }
            else
            {
                EncodeValue(types[i], values[i], head, itemPath);
            }
        }

        output.AddRange(head);
        output.AddRange(tail);
    }

    private static void EncodeValue(AbiType type, object? value, List<byte> output, string path)
    {
        if (value is null)
        {
            throw new AbiException(path, $"null given for {type.Canonical}");
        }

        switch (type)
        {
            case AbiAddress:
                output.AddRange(new byte[12]);
                output.AddRange(ToAddress(value, path).ToBytes());
                break;
            case AbiBool:
                output.AddRange(Word(value is bool b ? (b ? 1 : 0) : throw Mismatch(path, type, value)));
                break;
            case AbiInteger integer:
                output.AddRange(IntegerWord(integer, ToBigInteger(value, type, path), path));
                break;
            case AbiFixedBytes fixedBytes:
                var bytesN = value as byte[] ?? throw Mismatch(path, type, value);
                if (bytesN.Length != fixedBytes.Size)
                {
                    throw new AbiException(path, $"{type.Canonical} takes exactly {fixedBytes.Size} byte(s), got {bytesN.Length}");
                }

                output.AddRange(PadRight(bytesN));
                break;
            case AbiBytes:
                WriteDynamicBytes(value as byte[] ?? throw Mismatch(path, type, value), output);
                break;
            case AbiString:
                WriteDynamicBytes(Encoding.UTF8.GetBytes(value as string ?? throw Mismatch(path, type, value)), output);
                break;
            case AbiArray array:
                var items = ToList(value, type, path);
                if (array.Length is { } length && items.Count != length)
                {
                    throw new AbiException(path, $"{type.Canonical} takes {length} element(s), got {items.Count}");
                }

                if (array.Length is null)
                {
                    output.AddRange(Word(items.Count));
                }

                EncodeSequence([.. Enumerable.Repeat(array.Element, items.Count)], items, output, path + "[");
                break;
            case AbiTuple tuple:
                var components = ToList(value, type, path);
                if (components.Count != tuple.Components.Count)
                {
                    throw new AbiException(path, $"{type.Canonical} takes {tuple.Components.Count} component(s), got {components.Count}");
                }

                EncodeSequence(tuple.Components, components, output, path + ".");
                break;
            default:
                throw new AbiException(path, $"unsupported type {type.Canonical}");
        }
    }

    internal static byte[] IntegerWord(AbiInteger type, BigInteger value, string path)
    {
        var (min, max) = Range(type);
        if (value < min || value > max)
        {
            throw new AbiException(path, $"{value} is outside {type.Canonical} range [{min}, {max}]");
        }

        return Hex.ToFixedBigEndian(value.Sign < 0 ? value + TwoTo256 : value, 32);
    }

    internal static (BigInteger Min, BigInteger Max) Range(AbiInteger type) => type.IsSigned
        ? (-(BigInteger.One << (type.Bits - 1)), (BigInteger.One << (type.Bits - 1)) - 1)
        : (BigInteger.Zero, (BigInteger.One << type.Bits) - 1);

    private static void WriteDynamicBytes(byte[] bytes, List<byte> output)
    {
        output.AddRange(Word(bytes.Length));
        output.AddRange(PadRight(bytes));
    }

    private static byte[] PadRight(byte[] bytes)
    {
        var padded = new byte[(bytes.Length + 31) / 32 * 32];
        bytes.CopyTo(padded, 0);
        return padded;
    }

    private static byte[] Word(BigInteger value) => Hex.ToFixedBigEndian(value, 32);

    private static EthAddress ToAddress(object value, string path) => value switch
    {
        EthAddress address => address,
        string text => EthAddress.TryParse(text, out var parsed) ? parsed : throw new AbiException(path, $"'{text}' is not a valid address"),
        _ => throw Mismatch(path, AbiAddress.Instance, value),
    };

    private static BigInteger ToBigInteger(object value, AbiType type, string path) => value switch
    {
        BigInteger big => big,
        int i => i,
        long l => l,
        uint u => u,
        ulong ul => ul,
        short s => s,
        ushort us => us,
        byte b => b,
        sbyte sb => sb,
        _ => throw Mismatch(path, type, value),
    };

    private static IReadOnlyList<object?> ToList(object value, AbiType type, string path) => value switch
    {
        IReadOnlyList<object?> list => list,
        string or byte[] => throw Mismatch(path, type, value),
        IEnumerable sequence => sequence.Cast<object?>().ToList(),
        _ => throw Mismatch(path, type, value),
    };

    private static AbiException Mismatch(string path, AbiType type, object value) =>
        new(path, $"a {value.GetType().Name} cannot be encoded as {type.Canonical}");
}
