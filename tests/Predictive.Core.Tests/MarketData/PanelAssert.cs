using Predictive.Core.MarketData;

namespace Predictive.Core.Tests.MarketData;

internal static class PanelAssert
{
    /// <summary>Same axis, assets, interval, fields (NaN equal to NaN) and observed mask.</summary>
    public static void Equal(PricePanel expected, PricePanel actual)
    {
        CollectionAssert.AreEqual(expected.Assets.ToArray(), actual.Assets.ToArray());
        CollectionAssert.AreEqual(expected.Timestamps.ToArray(), actual.Timestamps.ToArray());
        Assert.AreEqual(expected.Interval, actual.Interval);
        Assert.AreEqual(expected.HasOhlc, actual.HasOhlc);
        Assert.AreEqual(expected.HasVolume, actual.HasVolume);
        for (var a = 0; a < expected.AssetCount; a++)
        {
            Same(expected.Close(a), actual.Close(a), "close", expected.Assets[a]);
            Same(expected.Open(a), actual.Open(a), "open", expected.Assets[a]);
            Same(expected.High(a), actual.High(a), "high", expected.Assets[a]);
            Same(expected.Low(a), actual.Low(a), "low", expected.Assets[a]);
            Same(expected.Volume(a), actual.Volume(a), "volume", expected.Assets[a]);
            CollectionAssert.AreEqual(expected.Observed(a).ToArray(), actual.Observed(a).ToArray(), $"observed {expected.Assets[a]}");
        }
    }

    private static void Same(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, string field, string asset)
    {
        Assert.AreEqual(expected.Length, actual.Length, $"{field} {asset} length");
        for (var i = 0; i < expected.Length; i++)
        {
            // Bit-for-bit: the writers must round-trip every double exactly.
            Assert.AreEqual(BitConverter.DoubleToInt64Bits(expected[i]), BitConverter.DoubleToInt64Bits(actual[i]), $"{field} {asset} bar {i}: {expected[i]} vs {actual[i]}");
        }
    }
}
