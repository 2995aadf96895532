using System.Numerics;
using System.Runtime.InteropServices;

namespace Predictive.Core.Features;

/// <summary>
/// The running sums of one rolling window for every asset at once (structure of arrays, one lane per asset). A missing
/// value (NaN) is counted, not summed, and makes the window's statistic NaN until it has left the window.
/// </summary>
/// <remarks>
/// The sums sit in one block laid out like a ring row (<c>[series, asset]</c>, see <see cref="BarRings"/>), so sliding or
/// recomputing every sum the window keeps is one loop over the run of series it needs rather than a loop per sum. Every
/// operation is lane-wise, so an asset's sums never depend on which other assets share the arrays (removing an asset
/// leaves the others' values bitwise unchanged).
/// </remarks>
internal sealed class WindowSums
{
    private readonly nuint _start;
    private readonly nuint _end;

    public WindowSums(int window, WindowNeeds needs, BarRings rings)
    {
        Window = window;
        Sums = new double[BarRings.SeriesCount * rings.Width];

        // Before any history every bar of the window is missing.
        foreach (var s in (ReadOnlySpan<BarSeries>)[BarSeries.ReturnMissing, BarSeries.DollarVolumeMissing, BarSeries.AmihudMissing])
        {
            Sums.AsSpan(rings.Offset(s), rings.Width).Fill(window);
        }

        // The smallest run of series that holds every sum the window's features read.
        var first = (needs & WindowNeeds.Returns) != 0 ? BarSeries.Return
            : (needs & WindowNeeds.Downside) != 0 ? BarSeries.DownSquare
            : (needs & WindowNeeds.DollarVolume) != 0 ? BarSeries.DollarVolume
            : BarSeries.Amihud;
        var last = (needs & WindowNeeds.Amihud) != 0 ? BarSeries.AmihudMissing
            : (needs & WindowNeeds.DollarVolume) != 0 ? BarSeries.DollarVolumeMissing
            : (needs & WindowNeeds.Downside) != 0 ? BarSeries.DownSquare
            : BarSeries.ReturnMissing;
        _start = (nuint)rings.Offset(first);
        _end = (nuint)(rings.Offset(last) + rings.Width);
    }

    public int Window { get; }

    /// <summary>Bars since the sums were last recomputed from the rings.</summary>
    public int SinceRecompute { get; set; }

    /// <summary>
    /// Every sum, <c>[series, asset]</c>: the sum of a series over the window's bars (a missing count is a double so it
    /// lives in the same vectors; exact for any window). Only the series the window needs are kept up to date.
    /// </summary>
    public double[] Sums { get; }

    /// <summary>Moves the window one bar: the values at <paramref name="leaving"/> drop out, those of this bar enter.</summary>
    public void Slide(BarRings rings, int leaving, int entering)
    {
        // sum ← sum − leaving + entering, lane by lane: the same expressions, in the same order, as a loop per sum.
        ref var sums = ref MemoryMarshal.GetArrayDataReference(Sums);
        ref var left = ref rings.Rows.Row(leaving);
        ref var entered = ref rings.Rows.Row(entering);
        var count = (nuint)Vector<double>.Count;
        for (var i = _start; i < _end; i += count)
        {
            (Vector.LoadUnsafe(ref sums, i) - Vector.LoadUnsafe(ref left, i) + Vector.LoadUnsafe(ref entered, i)).StoreUnsafe(ref sums, i);
        }
    }

    /// <summary>Recomputes the sums exactly from the rings so add/subtract rounding cannot build up: lane by lane, 0 plus the ring's values of the window's bars, oldest first, kept in a register.</summary>
    public void Recompute(BarRings rings, int step)
    {
        SinceRecompute = 0;
        ref var sums = ref MemoryMarshal.GetArrayDataReference(Sums);
        ref var values = ref MemoryMarshal.GetArrayDataReference(rings.Rows.Values);
        var count = (nuint)Vector<double>.Count;
        for (var i = _start; i < _end; i += count)
        {
            var total = Vector<double>.Zero;
            for (var k = Window - 1; k >= 0; k--)
            {
                total += Vector.LoadUnsafe(ref values, (nuint)rings.Rows.Offset(step - k) + i);
            }

            total.StoreUnsafe(ref sums, i);
        }
    }
}
