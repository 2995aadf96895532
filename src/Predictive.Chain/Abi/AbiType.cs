namespace Predictive.Chain.Abi;

/// <summary>
/// A Solidity ABI type. Values map to .NET as: address → <see cref="Crypto.EthAddress"/>; uintN/intN → <see cref="System.Numerics.BigInteger"/>;
/// bool → <see cref="bool"/>; bytes and bytesN → <see cref="byte"/>[]; string → <see cref="string"/>; arrays and tuples → a list of values.
/// </summary>
public abstract record AbiType
{
    private protected AbiType()
    {
    }

    /// <summary>The canonical name used in signatures (uint256, not uint).</summary>
    public abstract string Canonical { get; }

    /// <summary>True when the type is encoded in the tail with an offset in the head.</summary>
    public abstract bool IsDynamic { get; }

    /// <summary>Bytes taken in the head: 32 for dynamic types, the full inline size for static ones.</summary>
    internal virtual int HeadSize => 32;

    /// <summary>Parses a type such as "uint256[]" or "(address,bytes32)[2]".</summary>
    public static AbiType Parse(string type) => AbiTypeParser.ParseType(type);

    /// <inheritdoc/>
    public sealed override string ToString() => Canonical;
}

/// <summary>address: 20 bytes, left-padded.</summary>
public sealed record AbiAddress : AbiType
{
    /// <summary>The single instance.</summary>
    public static AbiAddress Instance { get; } = new();

    /// <inheritdoc/>
    public override string Canonical => "address";

    /// <inheritdoc/>
    public override bool IsDynamic => false;
}

/// <summary>bool: 0 or 1.</summary>
public sealed record AbiBool : AbiType
{
    /// <summary>The single instance.</summary>
    public static AbiBool Instance { get; } = new();

    /// <inheritdoc/>
    public override string Canonical => "bool";

    /// <inheritdoc/>
    public override bool IsDynamic => false;
}

/// <summary>uintN or intN, 8 ≤ N ≤ 256, N a multiple of 8.</summary>
/// <param name="Bits">The width N.</param>
/// <param name="IsSigned">True for intN (two's complement).</param>
public sealed record AbiInteger(int Bits, bool IsSigned) : AbiType
{
    /// <inheritdoc/>
    public override string Canonical => (IsSigned ? "int" : "uint") + Bits.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public override bool IsDynamic => false;
}

/// <summary>bytesN, 1 ≤ N ≤ 32, right-padded.</summary>
/// <param name="Size">N.</param>
public sealed record AbiFixedBytes(int Size) : AbiType
{
    /// <inheritdoc/>
    public override string Canonical => "bytes" + Size.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public override bool IsDynamic => false;
}

/// <summary>bytes: a length word, then the bytes right-padded to a multiple of 32.</summary>
public sealed record AbiBytes : AbiType
{
    /// <summary>The single instance.</summary>
    public static AbiBytes Instance { get; } = new();

    /// <inheritdoc/>
    public override string Canonical => "bytes";

    /// <inheritdoc/>
    public override bool IsDynamic => true;
}

/// <summary>string: encoded as the UTF-8 bytes.</summary>
public sealed record AbiString : AbiType
{
    /// <summary>The single instance.</summary>
    public static AbiString Instance { get; } = new();

    /// <inheritdoc/>
    public override string Canonical => "string";

    /// <inheritdoc/>
    public override bool IsDynamic => true;
}

/// <summary>T[k] (fixed, when <paramref name="Length"/> is set) or T[] (dynamic).</summary>
/// <param name="Element">T.</param>
/// <param name="Length">k, or null for a dynamic array.</param>
public sealed record AbiArray(AbiType Element, int? Length) : AbiType
{
    /// <inheritdoc/>
    public override string Canonical =>
        Element.Canonical + "[" + (Length?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty) + "]";

    /// <inheritdoc/>
    public override bool IsDynamic => Length is null || Element.IsDynamic;

    internal override int HeadSize => IsDynamic ? 32 : Length!.Value * Element.HeadSize;
}

/// <summary>(T1,…,Tn).</summary>
/// <param name="Components">The component types.</param>
public sealed record AbiTuple(IReadOnlyList<AbiType> Components) : AbiType
{
    /// <inheritdoc/>
    public override string Canonical => "(" + string.Join(",", Components.Select(c => c.Canonical)) + ")";

    /// <inheritdoc/>
    public override bool IsDynamic => Components.Any(c => c.IsDynamic);

    internal override int HeadSize => IsDynamic ? 32 : Components.Sum(c => c.HeadSize);

    /// <inheritdoc/>
    public bool Equals(AbiTuple? other) => other is not null && Components.SequenceEqual(other.Components);

    /// <inheritdoc/>
    public override int GetHashCode() => Canonical.GetHashCode(StringComparison.Ordinal);
}
