using System.Numerics;
using System.Runtime.CompilerServices;

namespace Predictive.Core.Features;

/// <summary>
/// The per-asset features of one asset, advanced one bar at a time in O(1) per statistic. The bulk and the incremental
/// builders both drive this kernel, so the two paths do the same arithmetic in the same order and agree bitwise.
/// </summary>
/// <remarks>
/// Rolling statistics keep running sums over ring buffers. A missing value (NaN) is counted, not summed, and makes the
/// window's statistic NaN until it has left the window; the rings start full of NaN, so "not enough history" and
/// "missing data" are one rule. Every <c>window</c> bars each window's sums are recomputed exactly from its ring, so
/// rounding drift from adding and subtracting cannot build up over long series (amortized O(1)).
/// </remarks>
internal sealed class AssetFeatureKernel
{
    private const double AmihudScale = 1e6;

    private readonly PlanItem[] _items;
    private readonly bool _usesVolume;
    private readonly double[] _logPrices;
    private readonly int _priceMask;
    private readonly double[] _returns;
    private readonly double[] _dollarVolume;
    private readonly double[] _amihud;
    private readonly int _mask;
    private readonly RollingSums[] _sums;
    private readonly Ewma[] _ewma;
    private int _step;
    private double _previousLogPrice = double.NaN;
    private double _peak = double.NaN;

    public AssetFeatureKernel(FeaturePlan plan)
    {
        _items = plan.PerAsset;
        _usesVolume = plan.UsesVolume;
        _logPrices = NaNs((int)BitOperations.RoundUpToPowerOf2((uint)plan.MaxHorizon + 1));
        _priceMask = _logPrices.Length - 1;
        var capacity = (int)BitOperations.RoundUpToPowerOf2((uint)plan.MaxWindow);
        _mask = capacity - 1;
        _returns = NaNs(capacity);
        _dollarVolume = _usesVolume ? NaNs(capacity) : [];
        _amihud = _usesVolume ? NaNs(capacity) : [];
        _sums = new RollingSums[plan.Windows.Length];
        for (var g = 0; g < _sums.Length; g++)
        {
            _sums[g] = new RollingSums(plan.Windows[g], plan.WindowNeeds[g]);
        }

        _ewma = Array.ConvertAll(plan.EwmaHalfLives, h => new Ewma(h));
    }

    /// <summary>Advances one bar and writes this asset's per-asset feature columns into <paramref name="row"/> (its F values).</summary>
    public void Step(double close, double volume, Span<double> row)
    {
        var logPrice = FeaturePlan.LogPrice(close);
        var r = logPrice - _previousLogPrice;
        _previousLogPrice = logPrice;
        double dollarVolume = double.NaN, amihud = double.NaN;
        if (_usesVolume)
        {
            dollarVolume = volume >= 0 ? Math.Log(1 + volume) : double.NaN;
            amihud = volume >= 0 ? Math.Abs(r) / Math.Max(volume, 1) * AmihudScale : double.NaN;
        }

        var slot = _step & _mask;
        for (var g = 0; g < _sums.Length; g++)
        {
            ref var s = ref _sums[g];
            var old = (_step - s.Window) & _mask;
            s.Add(r, _returns[old], dollarVolume, _usesVolume ? _dollarVolume[old] : 0, amihud, _usesVolume ? _amihud[old] : 0);
        }

        _returns[slot] = r;
        if (_usesVolume)
        {
            _dollarVolume[slot] = dollarVolume;
            _amihud[slot] = amihud;
        }

        _logPrices[_step & _priceMask] = logPrice;
        for (var g = 0; g < _sums.Length; g++)
        {
            ref var s = ref _sums[g];
            if (++s.SinceRecompute == s.Window)
            {
                s.Recompute(_returns, _dollarVolume, _amihud, _step, _mask);
            }
        }

        for (var e = 0; e < _ewma.Length; e++)
        {
            _ewma[e].Add(r);
        }

        if (!double.IsNaN(logPrice) && !(close <= _peak))
        {
            _peak = close;
        }

        foreach (var item in _items)
        {
            row[item.Column] = Value(item, logPrice, close);
        }

        _step++;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double Value(in PlanItem item, double logPrice, double close)
    {
        switch (item.Kind)
        {
            case FeatureKind.LogReturn:
                return logPrice - _logPrices[(_step - item.Window) & _priceMask];
            case FeatureKind.Drawdown:
                return double.IsNaN(logPrice) ? double.NaN : (close / _peak) - 1;
            case FeatureKind.EwmaVolatility:
                return _ewma[item.Index].Value;
            default:
                break;
        }

        ref readonly var s = ref _sums[item.Index];
        return item.Kind switch
        {
            FeatureKind.RealizedVolatility => s.MissingReturns == 0 ? Math.Sqrt(Math.Max(s.SumSquares, 0) / s.Window) : double.NaN,
            FeatureKind.DownsideVolatility => s.MissingReturns == 0 ? Math.Sqrt(Math.Max(s.SumDownSquares, 0) / s.Window) : double.NaN,
            FeatureKind.Momentum => s.MissingReturns != 0 ? double.NaN : s.SumSquares > 0 ? s.Sum / Math.Sqrt(s.SumSquares) : 0,
            FeatureKind.LogDollarVolume => s.MissingDollarVolume == 0 ? s.SumDollarVolume / s.Window : double.NaN,
            FeatureKind.AmihudIlliquidity => s.MissingAmihud == 0 ? s.SumAmihud / s.Window : double.NaN,
            _ => double.NaN,
        };
    }

    private static double[] NaNs(int n)
    {
        var a = new double[n];
        Array.Fill(a, double.NaN);
        return a;
    }

    /// <summary>Running sums over one window; a NaN entering or leaving moves a missing count instead of a sum.</summary>
    private struct RollingSums(int window, WindowNeeds needs)
    {
        public readonly int Window = window;
        public int SinceRecompute;
        public int MissingReturns = window;
        public int MissingDollarVolume = window;
        public int MissingAmihud = window;
        public double Sum;
        public double SumSquares;
        public double SumDownSquares;
        public double SumDollarVolume;
        public double SumAmihud;
        private readonly WindowNeeds _needs = needs;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(double r, double oldR, double dv, double oldDv, double am, double oldAm)
        {
            if ((_needs & WindowNeeds.Returns) != 0)
            {
                if (double.IsNaN(oldR))
                {
                    MissingReturns--;
                }
                else
                {
                    Sum -= oldR;
                    SumSquares -= oldR * oldR;
                    var d = Math.Min(oldR, 0);
                    SumDownSquares -= d * d;
                }

                if (double.IsNaN(r))
                {
                    MissingReturns++;
                }
                else
                {
                    Sum += r;
                    SumSquares += r * r;
                    var d = Math.Min(r, 0);
                    SumDownSquares += d * d;
                }
            }

            if ((_needs & WindowNeeds.DollarVolume) != 0)
            {
                Slide(ref SumDollarVolume, ref MissingDollarVolume, dv, oldDv);
            }

            if ((_needs & WindowNeeds.Amihud) != 0)
            {
                Slide(ref SumAmihud, ref MissingAmihud, am, oldAm);
            }
        }

        public void Recompute(double[] returns, double[] dollarVolume, double[] amihud, int step, int mask)
        {
            SinceRecompute = 0;
            Sum = SumSquares = SumDownSquares = SumDollarVolume = SumAmihud = 0;
            MissingReturns = MissingDollarVolume = MissingAmihud = 0;
            for (var k = Window - 1; k >= 0; k--)
            {
                var i = (step - k) & mask;
                var r = returns[i];
                if (double.IsNaN(r))
                {
                    MissingReturns++;
                }
                else if ((_needs & WindowNeeds.Returns) != 0)
                {
                    Sum += r;
                    SumSquares += r * r;
                    var d = Math.Min(r, 0);
                    SumDownSquares += d * d;
                }

                if ((_needs & (WindowNeeds.DollarVolume | WindowNeeds.Amihud)) != 0)
                {
                    Accumulate(ref SumDollarVolume, ref MissingDollarVolume, dollarVolume[i]);
                    Accumulate(ref SumAmihud, ref MissingAmihud, amihud[i]);
                }
            }

            if ((_needs & WindowNeeds.Returns) == 0)
            {
                MissingReturns = Window;
            }

            if ((_needs & WindowNeeds.DollarVolume) == 0)
            {
                MissingDollarVolume = Window;
            }

            if ((_needs & WindowNeeds.Amihud) == 0)
            {
                MissingAmihud = Window;
            }
        }

        private static void Slide(ref double sum, ref int missing, double value, double old)
        {
            if (double.IsNaN(old))
            {
                missing--;
            }
            else
            {
                sum -= old;
            }

            Accumulate(ref sum, ref missing, value);
        }

        private static void Accumulate(ref double sum, ref int missing, double value)
        {
            if (double.IsNaN(value))
            {
                missing++;
            }
            else
            {
                sum += value;
            }
        }
    }

    /// <summary>
    /// Exponentially weighted mean of r² with bias-corrected weights (Σλᵏr²ₜ₋ₖ / Σλᵏ, λ = 2^(−1/half-life)). A missing
    /// return restarts it, and it reports a value once it has seen half-life returns in a row.
    /// </summary>
    private sealed class Ewma(int halfLife)
    {
        private readonly double _lambda = Math.Pow(2, -1.0 / halfLife);
        private double _numerator;
        private double _denominator;
        private int _count;

        public double Value => _count >= halfLife ? Math.Sqrt(_numerator / _denominator) : double.NaN;

        public void Add(double r)
        {
            if (double.IsNaN(r))
            {
                _numerator = _denominator = 0;
                _count = 0;
                return;
            }

            _numerator = (_lambda * _numerator) + (r * r);
            _denominator = (_lambda * _denominator) + 1;
            _count++;
        }
    }
}
