using CsCheck;
using Predictive.Core.Backtesting;
using Predictive.Core.Venues;
using Predictive.Tests.Shared;

namespace Predictive.Research.Tests.Backtesting;

/// <summary>
/// Random listing, delisting and gap dates never crash a backtest and never value an asset without a price above its
/// last close. A failure prints CsCheck's seed ("Set seed: …"); pass it back as <c>seed:</c> below, or set the
/// environment variable CsCheck_Seed, to replay that exact case.
/// </summary>
[TestClass]
public sealed class DelistingPropertyTests
{
    private static readonly string[] Policies = ["calendar:1", "calendar:7", "band:0.05", "band-l1:0.1", "cost-band", "full"];

    [TestMethod]
    public void RunAsync_RandomListingAndDelistingDates_NeverThrowsNorValuesAMissingAssetAboveItsLastClose()
    {
        var cases = Gen.Select(Gen.Int[2, 5], Gen.Int[40, 120], Gen.Int, Gen.Int[1, 30], Gen.Int[0, Policies.Length - 1], Gen.Bool, Gen.Bool);
        cases.Sample((n, bars, seed, writeOff, policy, thin, exact) =>
        {
            var close = Prices(n, bars, seed);
            var market = new BacktestMarket(
                RandomWalkPanel.Daily(close),
                venue: thin ? new SimulatedVenueOptions { FixedDepthQuote = 500_000m } : null);
            var options = new BacktestOptions { StartBar = 0, InitialValueQuote = 100_000m, WriteOffBars = writeOff, ExactArithmetic = exact };
            var result = new Backtester(market, options).RunAsync(FixedTargets.Equal(n), PolicySpec.Parse(Policies[policy])).GetAwaiter().GetResult();

            for (var i = 0; i < result.BarCount; i++)
            {
                if (!double.IsFinite(result.Equity[i]))
                {
                    throw new InvalidOperationException($"equity at bar {i} is {result.Equity[i]}");
                }

                for (var a = 0; a < n; a++)
                {
                    if (double.IsFinite(close[a][i]))
                    {
                        continue;
                    }

                    var held = result.QuantitiesAt(i)[a];
                    var lastBar = Array.FindLastIndex(close[a], i, i + 1, double.IsFinite);
                    if (held == 0)
                    {
                        continue;
                    }

                    if (lastBar < 0 || i - lastBar >= writeOff)
                    {
                        throw new InvalidOperationException($"bar {i}: {held} of asset {a} held, last close at bar {lastBar}, write-off after {writeOff} bars");
                    }

                    var value = result.WeightsAt(i)[a] * result.Equity[i];
                    var cap = held * close[a][lastBar];
                    if (value > cap * (1 + 1e-9))
                    {
                        throw new InvalidOperationException($"bar {i}: asset {a} without a price valued at {value}, above {held} × its last close {close[a][lastBar]} = {cap}");
                    }
                }
            }
        }, iter: 200);
    }

    /// <summary>
    /// Seeded walks with, per asset, a listing bar, an optional end of rows and an optional gap (NaN where it has no
    /// close); asset 0 trades throughout so the backtest has somewhere to put the money.
    /// </summary>
    private static double[][] Prices(int n, int bars, int seed)
    {
        var rng = new Random(seed);
        var close = new double[n][];
        for (var a = 0; a < n; a++)
        {
            close[a] = new double[bars];
            var listed = a == 0 ? 0 : rng.Next(0, bars / 2);
            var ends = a == 0 || rng.Next(3) == 0 ? bars : rng.Next(listed + 1, bars + 1);
            var gap = rng.Next(listed, bars);
            var gapEnd = a == 0 ? gap : gap + rng.Next(0, 15);
            var p = 10.0 * (a + 1);
            for (var t = 0; t < bars; t++)
            {
                p *= Math.Exp(0.06 * (rng.NextDouble() - 0.5));
                close[a][t] = t < listed || t >= ends || (t >= gap && t < gapEnd) ? double.NaN : p;
            }
        }

        return close;
    }
}
