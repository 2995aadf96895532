using System.Numerics;
using System.Runtime.InteropServices;

namespace Predictive.Core.Features;

/// <summary>
/// The running sums of one rolling window for every asset at once (structure of arrays, one lane per asset). A missing
/// value (NaN) is counted, not summed, and makes the window's statistic NaN until it has left the window.
/// </summary>
/// <remarks>
/// Every operation is lane-wise, so an asset's sums never depend on which other assets share the arrays (removing an
/// asset leaves the others' values bitwise unchanged). Only the sums a window's features read are kept.
/// </remarks>
internal sealed class WindowSums
{
    private readonly nuint _vectors;

    public WindowSums(int window, WindowNeeds needs, int width)
    {
        Window = window;
        Needs = needs;
        _vectors = (nuint)(width / Vector<double>.Count);
        var returns = (needs & WindowNeeds.Returns) != 0;
        Sum = Fill(returns, width, 0);
        Squares = Fill(returns, width, 0);
        MissingReturns = Fill(returns, width, window);
        DownSquares = Fill((needs & WindowNeeds.Downside) != 0, width, 0);
        DollarVolume = Fill((needs & WindowNeeds.DollarVolume) != 0, width, 0);
        MissingDollarVolume = Fill((needs & WindowNeeds.DollarVolume) != 0, width, window);
        Amihud = Fill((needs & WindowNeeds.Amihud) != 0, width, 0);
        MissingAmihud = Fill((needs & WindowNeeds.Amihud) != 0, width, window);
    }

    public int Window { get; }

    public WindowNeeds Needs { get; }

    /// <summary>Bars since the sums were last recomputed from the rings.</summary>
    public int SinceRecompute { get; set; }

    public double[] Sum { get; }

    public double[] Squares { get; }

    public double[] DownSquares { get; }

    /// <summary>Missing returns in the window, as a double so it lives in the same vectors (exact for any window).</summary>
    public double[] MissingReturns { get; }

    public double[] DollarVolume { get; }

    public double[] MissingDollarVolume { get; }

    public double[] Amihud { get; }

    public double[] MissingAmihud { get; }

    /// <summary>Moves the window one bar: the values at <paramref name="leaving"/> drop out, those of this bar enter.</summary>
    public void Slide(BarRings rings, int leaving, int entering)
    {
        // The same expressions, in the same order, as when the squares were taken here: the results do not change a bit.
        if ((Needs & WindowNeeds.Returns) != 0)
        {
            Slide(Sum, rings.Return, leaving, entering);
            Slide(Squares, rings.ReturnSquare, leaving, entering);
            Slide(MissingReturns, rings.ReturnMissing, leaving, entering);
        }

        if ((Needs & WindowNeeds.Downside) != 0)
        {
            Slide(DownSquares, rings.DownSquare, leaving, entering);
        }

        if ((Needs & WindowNeeds.DollarVolume) != 0)
        {
            Slide(DollarVolume, rings.DollarVolume, leaving, entering);
            Slide(MissingDollarVolume, rings.DollarVolumeMissing, leaving, entering);
        }

        if ((Needs & WindowNeeds.Amihud) != 0)
        {
            Slide(Amihud, rings.Amihud, leaving, entering);
            Slide(MissingAmihud, rings.AmihudMissing, leaving, entering);
        }
    }

    /// <summary>Recomputes the sums exactly from the rings (oldest first) so add/subtract rounding cannot build up.</summary>
    public void Recompute(BarRings rings, int step)
    {
        SinceRecompute = 0;
        if ((Needs & WindowNeeds.Returns) != 0)
        {
            Recompute(Sum, rings.Return, step);
            Recompute(Squares, rings.ReturnSquare, step);
            Recompute(MissingReturns, rings.ReturnMissing, step);
        }

        if ((Needs & WindowNeeds.Downside) != 0)
        {
            Recompute(DownSquares, rings.DownSquare, step);
        }

        if ((Needs & WindowNeeds.DollarVolume) != 0)
        {
            Recompute(DollarVolume, rings.DollarVolume, step);
            Recompute(MissingDollarVolume, rings.DollarVolumeMissing, step);
        }

        if ((Needs & WindowNeeds.Amihud) != 0)
        {
            Recompute(Amihud, rings.Amihud, step);
            Recompute(MissingAmihud, rings.AmihudMissing, step);
        }
    }

    /// <summary>One sum, lane by lane: 0 plus the ring's values of the window's bars, oldest first, kept in a register.</summary>
    private void Recompute(double[] sums, Ring ring, int step)
    {
        ref var sum = ref MemoryMarshal.GetArrayDataReference(sums);
        ref var values = ref MemoryMarshal.GetArrayDataReference(ring.Values);
        var count = (nuint)Vector<double>.Count;
        for (nuint i = 0; i < _vectors * count; i += count)
        {
            var total = Vector<double>.Zero;
            for (var k = Window - 1; k >= 0; k--)
            {
                total += Vector.LoadUnsafe(ref values, (nuint)ring.Offset(step - k) + i);
            }

            total.StoreUnsafe(ref sum, i);
        }
    }

    /// <summary>sum ← sum − the ring's value at <paramref name="leaving"/> + its value at <paramref name="entering"/>, lane by lane.</summary>
    private void Slide(double[] a, Ring ra, int leaving, int entering)
    {
        ref var sa = ref MemoryMarshal.GetArrayDataReference(a);
        ref var la = ref ra.Row(leaving);
        ref var ea = ref ra.Row(entering);
        var count = (nuint)Vector<double>.Count;
        for (nuint i = 0; i < _vectors * count; i += count)
        {
            (Vector.LoadUnsafe(ref sa, i) - Vector.LoadUnsafe(ref la, i) + Vector.LoadUnsafe(ref ea, i)).StoreUnsafe(ref sa, i);
        }
    }

    private static double[] Fill(bool needed, int width, double value)
    {
        if (!needed)
        {
            return [];
        }

        var a = new double[width];
        Array.Fill(a, value);
        return a;
    }
}
