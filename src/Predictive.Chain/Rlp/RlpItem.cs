using System.Numerics;
using System.Text;
using Predictive.Chain.Primitives;

namespace Predictive.Chain.Rlp;

/// <summary>An RLP value: a byte string or a list of items.</summary>
public abstract class RlpItem
{
    private protected RlpItem()
    {
    }

    /// <summary>A byte string item.</summary>
    public static RlpString Bytes(ReadOnlySpan<byte> bytes) => new(bytes.ToArray());

    /// <summary>A byte string holding the UTF-8 bytes of <paramref name="text"/>.</summary>
    public static RlpString Text(string text) => new(Encoding.UTF8.GetBytes(text));

    /// <summary>A non-negative integer as its minimal big-endian bytes (zero is the empty string).</summary>
    public static RlpString Number(BigInteger value) => new(Hex.ToMinimalBigEndian(value));

    /// <summary>A list item.</summary>
    public static RlpList List(params RlpItem[] items) => new(items);

    /// <summary>A list item.</summary>
    public static RlpList List(IEnumerable<RlpItem> items) => new([.. items]);
}

/// <summary>An RLP byte string.</summary>
public sealed class RlpString : RlpItem
{
    internal RlpString(byte[] bytes) => Value = bytes;

    /// <summary>The bytes (not copied: treat as read-only).</summary>
    public byte[] Value { get; }

    /// <summary>
    /// Reads the string as a non-negative integer, rejecting leading zero bytes (a canonical integer has none).
    /// </summary>
    /// <exception cref="RlpException">The bytes have a leading zero.</exception>
    public BigInteger ToInteger()
    {
        if (Value.Length > 0 && Value[0] == 0)
        {
            throw new RlpException(0, "integer has a leading zero byte");
        }

        return Hex.FromBigEndian(Value);
    }

    /// <inheritdoc/>
    public override string ToString() => Hex.Encode(Value);
}

/// <summary>An RLP list.</summary>
public sealed class RlpList : RlpItem
{
    internal RlpList(RlpItem[] items) => Items = items;

    /// <summary>The items in order.</summary>
    public IReadOnlyList<RlpItem> Items { get; }

    /// <summary>Item <paramref name="index"/> as a byte string.</summary>
    /// <exception cref="RlpException">The item is a list.</exception>
    public RlpString StringAt(int index) =>
        Items[index] as RlpString ?? throw new RlpException(0, $"item {index} is a list where a byte string was expected");

    /// <summary>Item <paramref name="index"/> as a list.</summary>
    /// <exception cref="RlpException">The item is a byte string.</exception>
    public RlpList ListAt(int index) =>
        Items[index] as RlpList ?? throw new RlpException(0, $"item {index} is a byte string where a list was expected");

    /// <inheritdoc/>
    public override string ToString() => "[" + string.Join(", ", Items) + "]";
}
