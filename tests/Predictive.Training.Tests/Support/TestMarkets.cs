using Predictive.Core.MarketData;
using Predictive.Core.Synthetic;
using Predictive.Training.Data;
using Predictive.Tests.Shared;

namespace Predictive.Training.Tests.Support;

/// <summary>Panels and datasets for the torch pipeline tests: small synthetic markets and the shared real data.</summary>
internal static class TestMarkets
{
    private static readonly Lazy<TrainingDataset> SmallData = new(() => TrainingDataset.Create(Synthetic(5, 400)));

    public static PricePanel Synthetic(int assets, int bars, int seed = 11) =>
        SyntheticMarket.Generate(new SyntheticMarketOptions { AssetCount = assets, Bars = bars, Seed = seed });

    /// <summary>A shared 5-asset, 400-bar synthetic dataset (read-only).</summary>
    public static TrainingDataset Small => SmallData.Value;

    /// <summary>The panel with <paramref name="asset"/>'s first <paramref name="unlistedBars"/> bars removed (not yet listed).</summary>
    public static PricePanel WithLateListing(PricePanel panel, int asset, int unlistedBars)
    {
        var close = new double[panel.AssetCount][];
        var open = new double[panel.AssetCount][];
        var high = new double[panel.AssetCount][];
        var low = new double[panel.AssetCount][];
        var volume = new double[panel.AssetCount][];
        for (var a = 0; a < panel.AssetCount; a++)
        {
            close[a] = panel.Close(a).ToArray();
            open[a] = panel.Open(a).ToArray();
            high[a] = panel.High(a).ToArray();
            low[a] = panel.Low(a).ToArray();
            volume[a] = panel.Volume(a).ToArray();
        }

        foreach (var field in new[] { close, open, high, low, volume })
        {
            Array.Fill(field[asset], double.NaN, 0, unlistedBars);
        }

        return new PricePanel(panel.Timestamps.ToArray(), [.. panel.Assets], panel.Interval, close, open, high, low, volume);
    }

    /// <summary>The panel with every close after bar <paramref name="lastKept"/> multiplied by <paramref name="factor"/>.</summary>
    public static PricePanel WithFutureChanged(PricePanel panel, int lastKept, double factor)
    {
        var close = new double[panel.AssetCount][];
        var volume = new double[panel.AssetCount][];
        for (var a = 0; a < panel.AssetCount; a++)
        {
            close[a] = panel.Close(a).ToArray();
            volume[a] = panel.Volume(a).ToArray();
            for (var t = lastKept + 1; t < panel.BarCount; t++)
            {
                close[a][t] *= factor;
                volume[a][t] *= factor * factor;
            }
        }

        return new PricePanel(panel.Timestamps.ToArray(), [.. panel.Assets], panel.Interval, close, volume: volume);
    }

    /// <summary>crypto-daily.csv from the shared data directory beside the repository (see <see cref="Prerequisites.SharedData"/>).</summary>
    public static PricePanel CryptoDaily() => MarketDataFile.Read(Prerequisites.SharedData("crypto-daily.csv"));
}
