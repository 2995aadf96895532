using System.Text;
using Org.BouncyCastle.Crypto.Digests;

namespace Predictive.Chain.Crypto;

/// <summary>
/// Ethereum's Keccak-256: the original Keccak padding (0x01), not the FIPS-202 SHA3-256 padding (0x06).
/// </summary>
public static class Keccak256
{
    /// <summary>The digest size in bytes.</summary>
    public const int Size = 32;

    /// <summary>Hashes <paramref name="data"/>.</summary>
    public static byte[] Hash(ReadOnlySpan<byte> data)
    {
        var digest = new KeccakDigest(256);
        digest.BlockUpdate(data);
        var output = new byte[Size];
        digest.DoFinal(output);
        return output;
    }

    /// <summary>Hashes the concatenation of two inputs without copying them together first.</summary>
    public static byte[] Hash(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        var digest = new KeccakDigest(256);
        digest.BlockUpdate(first);
        digest.BlockUpdate(second);
        var output = new byte[Size];
        digest.DoFinal(output);
        return output;
    }

    /// <summary>Hashes the UTF-8 bytes of <paramref name="text"/> (e.g. a function or event signature).</summary>
    public static byte[] Hash(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Hash(Encoding.UTF8.GetBytes(text));
    }
}
