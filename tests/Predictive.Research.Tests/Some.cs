using Predictive.Core.MarketData;
using Predictive.Core.Synthetic;

namespace Predictive.Research.Tests;

/// <summary>Test data builders.</summary>
internal static class Some
{
    /// <summary>A seeded random walk per asset (per-bar moves up to ±1.5 %), daily bars; the benchmark's generator.</summary>
    public static PricePanel RandomWalk(int assets, int bars, int seed)
    {
        var rng = new Random(seed);
        var close = new double[assets][];
        for (var a = 0; a < assets; a++)
        {
            close[a] = new double[bars];
            var p = 100.0 * (a + 1);
            for (var t = 0; t < bars; t++)
            {
                p *= Math.Exp(0.03 * (rng.NextDouble() - 0.5));
                close[a][t] = p;
            }
        }

        return Panel(close);
    }

    /// <summary>Constant prices: the portfolio's value can only fall by what trading costs.</summary>
    public static PricePanel Flat(int assets, int bars) =>
        Panel(Enumerable.Range(0, assets).Select(a => Enumerable.Repeat(10.0 * (a + 1), bars).ToArray()).ToArray());

    /// <summary>The synthetic market with seed 42 and default options (8 assets, 1,000 daily bars).</summary>
    public static PricePanel Synthetic42() => SyntheticMarket.Generate(new SyntheticMarketOptions { Seed = 42 });

    /// <summary>The repository root (the folder holding Predictive.sln).</summary>
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Predictive.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Predictive.sln not found above " + AppContext.BaseDirectory);
    }

    private static PricePanel Panel(double[][] close)
    {
        var start = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var times = Enumerable.Range(0, close[0].Length).Select(t => start.AddDays(t)).ToArray();
        return new PricePanel(times, Enumerable.Range(0, close.Length).Select(a => $"A{a:00}").ToArray(), BarInterval.Daily, close);
    }
}
