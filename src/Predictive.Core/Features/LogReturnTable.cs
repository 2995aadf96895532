using System.Runtime.CompilerServices;
using Predictive.Core.MarketData;

namespace Predictive.Core.Features;

/// <summary>
/// A panel's one-bar log returns, bar-major, computed once per panel object and kept as long as it lives: every rolling
/// estimate over the same <see cref="PricePanel"/> instance (each run of one <c>Backtester</c>, which builds its asset
/// panel once) reads them instead of taking n logarithms per bar again.
/// </summary>
internal static class LogReturnTable
{
    private static readonly ConditionalWeakTable<PricePanel, double[]> Tables = [];

    /// <summary>
    /// rₜ,ₐ = ln closeₜ,ₐ − ln closeₜ₋₁,ₐ at index t·n + a (n assets), each logarithm as <see cref="FeaturePlan.LogPrice"/>
    /// takes it (NaN for a missing or non-positive close), NaN for bar 0.
    /// </summary>
    public static double[] Of(PricePanel panel) => Tables.GetValue(panel, Compute);

    private static double[] Compute(PricePanel panel)
    {
        int n = panel.AssetCount, bars = panel.BarCount;
        var table = new double[checked(bars * n)];
        for (var a = 0; a < n; a++)
        {
            var close = panel.Close(a);
            var previous = double.NaN;
            for (var k = 0; k < bars; k++)
            {
                var log = FeaturePlan.LogPrice(close[k]);
                table[(k * n) + a] = log - previous;
                previous = log;
            }
        }

        return table;
    }
}
