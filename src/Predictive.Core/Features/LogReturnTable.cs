using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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

    /// <summary>
    /// Bar <paramref name="bar"/>'s n returns of <paramref name="table"/> as a row as long as <paramref name="scratch"/>
    /// (a whole number of vectors): read in place when n is that length, else copied into the scratch row with the
    /// padding cleared. The returned reference reads that many values.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref double PaddedRow(double[] table, int n, int bar, double[] scratch)
    {
        if (n == scratch.Length)
        {
            return ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(table), bar * n);
        }

        table.AsSpan(bar * n, n).CopyTo(scratch);
        scratch.AsSpan(n).Clear();
        return ref MemoryMarshal.GetArrayDataReference(scratch);
    }

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
