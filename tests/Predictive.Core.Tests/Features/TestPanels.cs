using Predictive.Core.Features;
using Predictive.Core.MarketData;

namespace Predictive.Core.Tests.Features;

/// <summary>Seeded random-walk panels with the awkward cases features must survive.</summary>
internal static class TestPanels
{
    public static readonly DateTimeOffset T0 = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// A daily panel: asset 1 lists at bar <c>bars / 3</c> (NaN before), asset 2 has a NaN gap of 10 bars in the middle,
    /// asset 3 has forward-filled bars (unchanged close, volume 0) every 17th bar. Others trade every bar.
    /// </summary>
    public static PricePanel RandomWalk(int seed, int assets = 5, int bars = 400, bool withVolume = true, double volatility = 0.03)
    {
        var rng = new Random(seed);
        var close = new double[assets][];
        var volume = new double[assets][];
        var common = new double[bars];
        for (var t = 0; t < bars; t++)
        {
            common[t] = Normal(rng) * volatility;
        }

        for (var a = 0; a < assets; a++)
        {
            close[a] = new double[bars];
            volume[a] = new double[bars];
            var price = 10 + (90 * rng.NextDouble());
            var beta = 0.3 + rng.NextDouble();
            for (var t = 0; t < bars; t++)
            {
                price *= Math.Exp((beta * common[t]) + (Normal(rng) * volatility) + 0.0005);
                close[a][t] = price;
                volume[a][t] = Math.Exp(10 + (2 * rng.NextDouble()));
            }
        }

        if (assets > 1)
        {
            Blank(close[1], volume[1], 0, bars / 3);
        }

        if (assets > 2)
        {
            Blank(close[2], volume[2], bars / 2, (bars / 2) + 10);
        }

        if (assets > 3)
        {
            for (var t = 17; t < bars; t += 17)
            {
                close[3][t] = close[3][t - 1];
                volume[3][t] = 0;
            }
        }

        var stamps = Enumerable.Range(0, bars).Select(i => T0.AddDays(i)).ToArray();
        var names = Enumerable.Range(0, assets).Select(i => "A" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return new PricePanel(stamps, names, BarInterval.Daily, close, volume: withVolume ? volume : null);
    }

    /// <summary>A copy of the panel whose bars after <paramref name="bar"/> are replaced by garbage (wild prices, NaN, zero volume).</summary>
    public static PricePanel WithGarbageAfter(PricePanel panel, int bar, int seed)
    {
        var rng = new Random(seed);
        var n = panel.AssetCount;
        var close = new double[n][];
        var volume = panel.HasVolume ? new double[n][] : null;
        for (var a = 0; a < n; a++)
        {
            close[a] = panel.Close(a).ToArray();
            for (var t = bar + 1; t < panel.BarCount; t++)
            {
                close[a][t] = rng.Next(5) == 0 ? double.NaN : Math.Exp(20 * (rng.NextDouble() - 0.5));
            }

            if (volume is not null)
            {
                volume[a] = panel.Volume(a).ToArray();
                for (var t = bar + 1; t < panel.BarCount; t++)
                {
                    volume[a][t] = rng.Next(3) == 0 ? 0 : 1e12 * rng.NextDouble();
                }
            }
        }

        return new PricePanel(panel.Timestamps.ToArray(), [.. panel.Assets], panel.Interval, close, volume: volume);
    }

    /// <summary>A spec with every kind, short windows and both normalizations, so a 400-bar panel exercises everything.</summary>
    public static FeatureSpec AllKinds { get; } = new(
    [
        new(FeatureKind.LogReturn, 1),
        new(FeatureKind.LogReturn, 5),
        new(FeatureKind.EwmaVolatility, 4),
        new(FeatureKind.RealizedVolatility, 10),
        new(FeatureKind.DownsideVolatility, 7),
        new(FeatureKind.Momentum, 10),
        new(FeatureKind.Momentum, 10, FeatureNormalization.CrossSectionalZScore),
        new(FeatureKind.Drawdown, 0),
        new(FeatureKind.LogDollarVolume, 6, FeatureNormalization.CrossSectionalZScore),
        new(FeatureKind.AmihudIlliquidity, 6),
        new(FeatureKind.MarketCorrelation, 12),
        new(FeatureKind.AveragePairwiseCorrelation, 9),
    ]);

    private static void Blank(double[] close, double[] volume, int from, int to)
    {
        for (var t = from; t < to; t++)
        {
            close[t] = double.NaN;
            volume[t] = double.NaN;
        }
    }

    private static double Normal(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
