namespace Predictive.Core.Features;

/// <summary>
/// The cross-asset features (correlation to the equal-weight market, average pairwise correlation), advanced one bar
/// at a time in O(N²). Both builders drive it bar by bar with the same inputs.
/// </summary>
internal sealed class CrossAssetKernel
{
    private readonly PlanItem[] _items;
    private readonly int _n;
    private readonly int _featureCount;
    private readonly RollingCorrelation[] _correlations;
    private readonly double[] _previousLogPrice;
    private readonly double[] _returns;
    private readonly double[] _averages;

    public CrossAssetKernel(FeaturePlan plan, int assets)
    {
        _items = plan.CrossAsset;
        _n = assets;
        _featureCount = plan.FeatureCount;
        // The market's return is kept as one more series, so its correlation to each asset comes from the same sums.
        _correlations = Array.ConvertAll(plan.CorrelationWindows, w => new RollingCorrelation(assets + 1, w));
        _previousLogPrice = new double[assets];
        Array.Fill(_previousLogPrice, double.NaN);
        _returns = new double[assets + 1];
        _averages = new double[_correlations.Length];
    }

    /// <summary>Advances one bar of closes and writes the cross-asset columns of every asset in <paramref name="row"/> ([asset, feature]).</summary>
    public void Step(ReadOnlySpan<double> closes, Span<double> row)
    {
        var n = _n;
        var sum = 0.0;
        var count = 0;
        for (var a = 0; a < n; a++)
        {
            var lp = FeaturePlan.LogPrice(closes[a]);
            var r = lp - _previousLogPrice[a];
            _previousLogPrice[a] = lp;
            _returns[a] = r;
            if (!double.IsNaN(r))
            {
                sum += r;
                count++;
            }
        }

        _returns[n] = count > 0 ? sum / count : double.NaN;
        for (var c = 0; c < _correlations.Length; c++)
        {
            _correlations[c].Update(_returns);
            _averages[c] = double.NaN;
        }

        foreach (var item in _items)
        {
            var corr = _correlations[item.Index];
            if (item.Kind == FeatureKind.MarketCorrelation)
            {
                for (var a = 0; a < n; a++)
                {
                    row[(a * _featureCount) + item.Column] = corr.Correlation(a, n);
                }
            }
            else
            {
                if (double.IsNaN(_averages[item.Index]))
                {
                    _averages[item.Index] = AveragePairwise(corr);
                }

                for (var a = 0; a < n; a++)
                {
                    row[(a * _featureCount) + item.Column] = corr.HasFullWindow(a) ? _averages[item.Index] : double.NaN;
                }
            }
        }
    }

    /// <summary>The mean correlation over pairs of assets with full windows; 1 when only one asset has one (it moves with itself).</summary>
    private double AveragePairwise(RollingCorrelation corr)
    {
        var sum = 0.0;
        var pairs = 0;
        var full = 0;
        for (var i = 0; i < _n; i++)
        {
            if (!corr.HasFullWindow(i))
            {
                continue;
            }

            full++;
            for (var j = i + 1; j < _n; j++)
            {
                if (corr.HasFullWindow(j))
                {
                    sum += corr.Correlation(i, j);
                    pairs++;
                }
            }
        }

        return pairs > 0 ? sum / pairs : full == 1 ? 1 : double.NaN;
    }
}
