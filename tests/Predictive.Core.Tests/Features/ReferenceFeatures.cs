using Predictive.Core.Features;
using Predictive.Core.MarketData;

namespace Predictive.Core.Tests.Features;

/// <summary>
/// Obviously-correct features: every value recomputed from scratch from the closes and volumes up to bar t,
/// with two-pass statistics and no running state. Slow on purpose.
/// </summary>
internal static class ReferenceFeatures
{
    public static double[] Row(PricePanel panel, FeatureSpec spec, int t)
    {
        var n = panel.AssetCount;
        var f = spec.Features.Count;
        var row = new double[n * f];
        for (var c = 0; c < f; c++)
        {
            var def = spec.Features[c];
            for (var a = 0; a < n; a++)
            {
                row[(a * f) + c] = Raw(panel, def, a, t);
            }

            if (def.Normalization == FeatureNormalization.CrossSectionalZScore)
            {
                var xs = Enumerable.Range(0, n).Select(a => row[(a * f) + c]).Where(double.IsFinite).ToArray();
                var mean = xs.Length > 0 ? xs.Average() : 0;
                var sd = xs.Length > 1 ? Math.Sqrt(xs.Sum(x => (x - mean) * (x - mean)) / xs.Length) : 0;
                for (var a = 0; a < n; a++)
                {
                    var x = row[(a * f) + c];
                    if (double.IsFinite(x))
                    {
                        row[(a * f) + c] = sd > 0 ? (x - mean) / sd : 0;
                    }
                }
            }
        }

        return row;
    }

    public static double Return(PricePanel panel, int a, int k)
    {
        if (k < 1)
        {
            return double.NaN;
        }

        var c0 = panel.Close(a)[k - 1];
        var c1 = panel.Close(a)[k];
        return c0 > 0 && c1 > 0 ? Math.Log(c1 / c0) : double.NaN;
    }

    /// <summary>The w returns ending at t, or null when any is missing.</summary>
    public static double[]? Window(PricePanel panel, int a, int t, int w)
    {
        if (t - w + 1 < 0)
        {
            return null;
        }

        var r = Enumerable.Range(t - w + 1, w).Select(k => Return(panel, a, k)).ToArray();
        return r.Any(double.IsNaN) ? null : r;
    }

    public static double MarketReturn(PricePanel panel, int k)
    {
        var rs = Enumerable.Range(0, panel.AssetCount).Select(a => Return(panel, a, k)).Where(x => !double.IsNaN(x)).ToArray();
        return rs.Length > 0 ? rs.Average() : double.NaN;
    }

    public static double Pearson(double[] x, double[] y)
    {
        var mx = x.Average();
        var my = y.Average();
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }

        return sxx > 1e-300 && syy > 1e-300 ? sxy / Math.Sqrt(sxx * syy) : 0;
    }

    private static double Raw(PricePanel panel, FeatureDefinition def, int a, int t)
    {
        var close = panel.Close(a).ToArray();
        var w = def.Window;
        switch (def.Kind)
        {
            case FeatureKind.LogReturn:
                return t >= w && close[t] > 0 && close[t - w] > 0 ? Math.Log(close[t] / close[t - w]) : double.NaN;
            case FeatureKind.Drawdown:
            {
                if (!(close[t] > 0))
                {
                    return double.NaN;
                }

                var peak = Enumerable.Range(0, t + 1).Select(k => close[k]).Where(double.IsFinite).Max();
                return (close[t] / peak) - 1;
            }

            case FeatureKind.EwmaVolatility:
            {
                var run = 0;
                while (t - run >= 0 && !double.IsNaN(Return(panel, a, t - run)))
                {
                    run++;
                }

                if (run < w)
                {
                    return double.NaN;
                }

                var lambda = Math.Pow(0.5, 1.0 / w);
                double num = 0, den = 0;
                for (var k = 0; k < run; k++)
                {
                    var r = Return(panel, a, t - k);
                    num += Math.Pow(lambda, k) * r * r;
                    den += Math.Pow(lambda, k);
                }

                return Math.Sqrt(num / den);
            }

            case FeatureKind.RealizedVolatility:
                return Window(panel, a, t, w) is { } rv ? Math.Sqrt(rv.Sum(r => r * r) / w) : double.NaN;
            case FeatureKind.DownsideVolatility:
                return Window(panel, a, t, w) is { } dv ? Math.Sqrt(dv.Sum(r => r < 0 ? r * r : 0) / w) : double.NaN;
            case FeatureKind.Momentum:
                return Window(panel, a, t, w) is { } mv ? (mv.Sum(r => r * r) > 0 ? mv.Sum() / Math.Sqrt(mv.Sum(r => r * r)) : 0) : double.NaN;
            case FeatureKind.LogDollarVolume:
            {
                if (t - w + 1 < 0)
                {
                    return double.NaN;
                }

                var v = Enumerable.Range(t - w + 1, w).Select(k => panel.Volume(a)[k]).ToArray();
                return v.Any(double.IsNaN) ? double.NaN : v.Average(x => Math.Log(1 + x));
            }

            case FeatureKind.AmihudIlliquidity:
            {
                if (Window(panel, a, t, w) is not { } r)
                {
                    return double.NaN;
                }

                return Enumerable.Range(0, w).Average(i => Math.Abs(r[i]) / Math.Max(panel.Volume(a)[t - w + 1 + i], 1) * 1e6);
            }

            case FeatureKind.MarketCorrelation:
            {
                if (Window(panel, a, t, w) is not { } r)
                {
                    return double.NaN;
                }

                var m = Enumerable.Range(t - w + 1, w).Select(k => MarketReturn(panel, k)).ToArray();
                return Pearson(r, m);
            }

            case FeatureKind.AveragePairwiseCorrelation:
            {
                if (Window(panel, a, t, w) is null)
                {
                    return double.NaN;
                }

                var full = Enumerable.Range(0, panel.AssetCount).Select(i => Window(panel, i, t, w)).Where(x => x is not null).ToArray();
                var cs = new List<double>();
                for (var i = 0; i < full.Length; i++)
                {
                    for (var j = i + 1; j < full.Length; j++)
                    {
                        cs.Add(Pearson(full[i]!, full[j]!));
                    }
                }

                return cs.Count > 0 ? cs.Average() : 1;
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(def));
        }
    }
}
