using Predictive.Core.MarketData;

namespace Predictive.Tests.Shared;

/// <summary>
/// The backtest benchmark's market, also used by the backtester tests (the numpy parity test needs the two to agree):
/// a seeded random walk per asset with per-bar moves up to ±1.5 %, asset a starting at 100·(a + 1), daily bars from
/// 2000-01-01, symbols A00, A01, …
/// </summary>
internal static class RandomWalkPanel
{
    public static PricePanel Create(int assets, int bars, int seed)
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

        return Daily(close);
    }

    /// <summary>A daily panel of the given closes (one array per asset) from 2000-01-01, symbols A00, A01, …</summary>
    public static PricePanel Daily(double[][] close)
    {
        var start = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var times = Enumerable.Range(0, close[0].Length).Select(t => start.AddDays(t)).ToArray();
        return new PricePanel(times, Enumerable.Range(0, close.Length).Select(a => $"A{a:00}").ToArray(), BarInterval.Daily, close);
    }
}
