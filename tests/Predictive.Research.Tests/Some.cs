using Predictive.Core.MarketData;
using Predictive.Core.Synthetic;
using Predictive.Tests.Shared;

namespace Predictive.Research.Tests;

/// <summary>Test data builders.</summary>
internal static class Some
{
    /// <summary>The backtest benchmark's seeded random walk (see <see cref="RandomWalkPanel"/>).</summary>
    public static PricePanel RandomWalk(int assets, int bars, int seed) => RandomWalkPanel.Create(assets, bars, seed);

    /// <summary>Constant prices: the portfolio's value can only fall by what trading costs.</summary>
    public static PricePanel Flat(int assets, int bars) =>
        RandomWalkPanel.Daily(Enumerable.Range(0, assets).Select(a => Enumerable.Repeat(10.0 * (a + 1), bars).ToArray()).ToArray());

    /// <summary>The synthetic market with seed 42 and default options (8 assets, 1,000 daily bars).</summary>
    public static PricePanel Synthetic42() => SyntheticMarket.Generate(new SyntheticMarketOptions { Seed = 42 });
}
