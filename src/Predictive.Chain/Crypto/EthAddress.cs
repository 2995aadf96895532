using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Util;

namespace Predictive.Chain.Crypto;

/// <summary>
/// A 20-byte account address. Formats with the EIP-55 mixed-case checksum; parsing rejects a mixed-case address whose checksum is wrong.
/// </summary>
public sealed class EthAddress : IEquatable<EthAddress>
{
    private static readonly SearchValues<char> LowerLetters = SearchValues.Create("abcdef");
    private static readonly SearchValues<char> UpperLetters = SearchValues.Create("ABCDEF");
    private readonly byte[] _bytes;

    private EthAddress(byte[] bytes) => _bytes = bytes;

    /// <summary>The zero address.</summary>
    public static EthAddress Zero { get; } = new(new byte[20]);

    /// <summary>Creates an address from exactly 20 bytes.</summary>
    public static EthAddress FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 20)
        {
            throw new ArgumentException($"An address has 20 bytes, not {bytes.Length}.", nameof(bytes));
        }

        return new EthAddress(bytes.ToArray());
    }

    /// <summary>
    /// Parses "0x" + 40 hex digits. All-lower and all-upper addresses carry no checksum and are accepted;
    /// a mixed-case address must match its EIP-55 checksum.
    /// </summary>
    /// <exception cref="FormatException">The text is not an address, or its checksum is wrong.</exception>
    public static EthAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var address, out var problem) ? address : throw new FormatException($"'{text}' is not a valid address: {problem}.");
    }

    /// <summary>Parses like <see cref="Parse"/> without throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out EthAddress? address) => TryParse(text, out address, out _);

    /// <summary>True when <paramref name="text"/> is an address in its exact EIP-55 checksummed form.</summary>
    public static bool IsChecksummed(string text) =>
        TryParse(text, out var address) && string.Equals(address.ToChecksumString(), text, StringComparison.Ordinal);

    /// <summary>The EIP-55 mixed-case checksum form (Nethereum's <see cref="AddressUtil"/>).</summary>
    public string ToChecksumString() => AddressUtil.Current.ConvertToChecksumAddress(_bytes);

    /// <summary>A copy of the 20 bytes.</summary>
    public byte[] ToBytes() => (byte[])_bytes.Clone();

    /// <inheritdoc/>
    public bool Equals(EthAddress? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is EthAddress other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => BitConverter.ToInt32(_bytes, 0);

    /// <summary>The EIP-55 checksummed form.</summary>
    public override string ToString() => ToChecksumString();

    /// <summary>Equality by value.</summary>
    public static bool operator ==(EthAddress? left, EthAddress? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Inequality by value.</summary>
    public static bool operator !=(EthAddress? left, EthAddress? right) => !(left == right);

    private static bool TryParse(string? text, [NotNullWhen(true)] out EthAddress? address, out string problem)
    {
        address = null;
        if (text is null || text.Length != 42 || !text.StartsWith("0x", StringComparison.Ordinal) || !AddressUtil.Current.IsValidEthereumAddressHexFormat(text))
        {
            problem = "expected 0x followed by 40 hex digits";
            return false;
        }

        // EIP-55: an all-lower or all-upper address carries no checksum; a mixed-case one must match it.
        var digits = text.AsSpan(2);
        if (digits.ContainsAny(LowerLetters) && digits.ContainsAny(UpperLetters) && !AddressUtil.Current.IsChecksumAddress(text))
        {
            problem = "mixed-case EIP-55 checksum does not match";
            return false;
        }

        address = new EthAddress(text.HexToByteArray());
        problem = string.Empty;
        return true;
    }
}
