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
    public WindowSums(int window, WindowNeeds needs, int width)
    {
        Window = window;
        Needs = needs;
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
        if ((Needs & WindowNeeds.Returns) != 0)
        {
            SlideReturns(rings.Returns.Slot(leaving), rings.Returns.Slot(entering), (Needs & WindowNeeds.Downside) != 0);
        }

        if ((Needs & WindowNeeds.DollarVolume) != 0)
        {
            SlideMean(DollarVolume, MissingDollarVolume, rings.DollarVolume.Slot(leaving), rings.DollarVolume.Slot(entering));
        }

        if ((Needs & WindowNeeds.Amihud) != 0)
        {
            SlideMean(Amihud, MissingAmihud, rings.Amihud.Slot(leaving), rings.Amihud.Slot(entering));
        }
    }

    /// <summary>Recomputes the sums exactly from the rings (oldest first) so add/subtract rounding cannot build up.</summary>
    public void Recompute(BarRings rings, int step)
    {
        SinceRecompute = 0;
        Reset(Sum, 0);
        Reset(Squares, 0);
        Reset(DownSquares, 0);
        Reset(MissingReturns, 0);
        Reset(DollarVolume, 0);
        Reset(MissingDollarVolume, 0);
        Reset(Amihud, 0);
        Reset(MissingAmihud, 0);
        var returns = (Needs & WindowNeeds.Returns) != 0;
        var downside = (Needs & WindowNeeds.Downside) != 0;
        var dollarVolume = (Needs & WindowNeeds.DollarVolume) != 0;
        var amihud = (Needs & WindowNeeds.Amihud) != 0;
        for (var k = Window - 1; k >= 0; k--)
        {
            var slot = step - k;
            if (returns)
            {
                AddReturns(rings.Returns.Slot(slot), downside);
            }

            if (dollarVolume)
            {
                AddMean(DollarVolume, MissingDollarVolume, rings.DollarVolume.Slot(slot));
            }

            if (amihud)
            {
                AddMean(Amihud, MissingAmihud, rings.Amihud.Slot(slot));
            }
        }
    }

    private void SlideReturns(ReadOnlySpan<double> leaving, ReadOnlySpan<double> entering, bool downside)
    {
        var sum = Lanes.AsVectors(Sum);
        var squares = Lanes.AsVectors(Squares);
        var down = Lanes.AsVectors(DownSquares);
        var missing = Lanes.AsVectors(MissingReturns);
        var old = Lanes.AsVectors(leaving);
        var x = Lanes.AsVectors(entering);
        for (var i = 0; i < sum.Length; i++)
        {
            var o = Lanes.OrZero(old[i], out var oMissing);
            var r = Lanes.OrZero(x[i], out var rMissing);
            sum[i] = sum[i] - o + r;
            squares[i] = squares[i] - (o * o) + (r * r);
            missing[i] = missing[i] - oMissing + rMissing;
            if (downside)
            {
                var od = Lanes.NegativePart(o);
                var rd = Lanes.NegativePart(r);
                down[i] = down[i] - (od * od) + (rd * rd);
            }
        }
    }

    private void AddReturns(ReadOnlySpan<double> values, bool downside)
    {
        var sum = Lanes.AsVectors(Sum);
        var squares = Lanes.AsVectors(Squares);
        var down = Lanes.AsVectors(DownSquares);
        var missing = Lanes.AsVectors(MissingReturns);
        var x = Lanes.AsVectors(values);
        for (var i = 0; i < sum.Length; i++)
        {
            var r = Lanes.OrZero(x[i], out var rMissing);
            sum[i] += r;
            squares[i] += r * r;
            missing[i] += rMissing;
            if (downside)
            {
                var rd = Lanes.NegativePart(r);
                down[i] += rd * rd;
            }
        }
    }

    private static void SlideMean(double[] sums, double[] missings, ReadOnlySpan<double> leaving, ReadOnlySpan<double> entering)
    {
        var sum = Lanes.AsVectors(sums);
        var missing = Lanes.AsVectors(missings);
        var old = Lanes.AsVectors(leaving);
        var x = Lanes.AsVectors(entering);
        for (var i = 0; i < sum.Length; i++)
        {
            var o = Lanes.OrZero(old[i], out var oMissing);
            var v = Lanes.OrZero(x[i], out var vMissing);
            sum[i] = sum[i] - o + v;
            missing[i] = missing[i] - oMissing + vMissing;
        }
    }

    private static void AddMean(double[] sums, double[] missings, ReadOnlySpan<double> values)
    {
        var sum = Lanes.AsVectors(sums);
        var missing = Lanes.AsVectors(missings);
        var x = Lanes.AsVectors(values);
        for (var i = 0; i < sum.Length; i++)
        {
            sum[i] += Lanes.OrZero(x[i], out var vMissing);
            missing[i] += vMissing;
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

    private static void Reset(double[] a, double value) => Array.Fill(a, value);
}
