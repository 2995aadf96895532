using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Predictive.Core.MarketData;

namespace Predictive.Training.Card;

/// <summary>A content hash of a <see cref="PricePanel"/>, independent of the file format it was read from.</summary>
public static class PanelDigest
{
    /// <summary>
    /// Lower-case hex SHA-256 over, in order: each asset symbol (UTF-8, then a 0 byte), each bar time (UTC ticks, int64
    /// little-endian), then per asset every close (IEEE-754 bits, little-endian), observed flag (one byte) and, when the
    /// panel has volume, every volume.
    /// </summary>
    public static string Sha256(PricePanel panel)
    {
        ArgumentNullException.ThrowIfNull(panel);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> eight = stackalloc byte[8];
        foreach (var asset in panel.Assets)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(asset));
            hash.AppendData([0]);
        }

        foreach (var t in panel.Timestamps)
        {
            BinaryPrimitives.WriteInt64LittleEndian(eight, t.UtcTicks);
            hash.AppendData(eight);
        }

        for (var a = 0; a < panel.AssetCount; a++)
        {
            AppendDoubles(hash, panel.Close(a), eight);
            foreach (var observed in panel.Observed(a))
            {
                hash.AppendData([observed ? (byte)1 : (byte)0]);
            }

            if (panel.HasVolume)
            {
                AppendDoubles(hash, panel.Volume(a), eight);
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void AppendDoubles(IncrementalHash hash, ReadOnlySpan<double> values, Span<byte> eight)
    {
        foreach (var v in values)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(eight, v);
            hash.AppendData(eight);
        }
    }
}
