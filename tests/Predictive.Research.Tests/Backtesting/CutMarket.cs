using System.Globalization;
using System.Text;
using Predictive.Core.MarketData;
using Predictive.Tests.Shared;

namespace Predictive.Research.Tests.Backtesting;

/// <summary>
/// Markets whose assets list late, stop trading or pause: closes with rows left out, written as a long CSV and read back
/// through <see cref="MarketDataFile"/>, so the data's own gap rule (5 forward-filled bars, then NaN) applies as in production.
/// </summary>
internal sealed class CutMarket
{
    public static readonly DateTimeOffset Start = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Asset a trades at bar t when <paramref name="trades"/>(a, t); closes are <paramref name="close"/>[a][t].</summary>
    public static PricePanel Read(string[] symbols, double[][] close, Func<int, int, bool> trades)
    {
        var csv = new StringBuilder("timestamp,symbol,close,volume\n");
        for (var t = 0; t < close[0].Length; t++)
        {
            for (var a = 0; a < symbols.Length; a++)
            {
                if (trades(a, t))
                {
                    csv.Append(CultureInfo.InvariantCulture, $"{Start.AddDays(t):yyyy-MM-dd},{symbols[a]},{close[a][t]:R},{1e6 * (1 + ((t * 7 % 11) / 10.0)):R}\n");
                }
            }
        }

        var path = Path.Combine(Path.GetTempPath(), $"predictive-cut-{Guid.NewGuid():N}.csv");
        try
        {
            File.WriteAllText(path, csv.ToString());
            return MarketDataFile.Read(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The closes of the backtest benchmark's seeded random walk (<see cref="RandomWalkPanel"/>), [asset][bar].</summary>
    public static double[][] Walk(int assets, int bars, int seed)
    {
        var panel = RandomWalkPanel.Create(assets, bars, seed);
        return Enumerable.Range(0, assets).Select(a => panel.Close(a).ToArray()).ToArray();
    }
}
