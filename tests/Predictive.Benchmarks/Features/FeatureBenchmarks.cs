using BenchmarkDotNet.Attributes;
using Predictive.Core.Features;
using Predictive.Core.MarketData;

namespace Predictive.Benchmarks.Features;

/// <summary>
/// Feature build over 20 assets × 50,000 bars (1,000,000 asset-bars). Targets: per-asset features at ≥ 20 million
/// asset-bar updates per second (≤ 50 ms per build), the rolling 20×20 correlation matrix over the panel in &lt; 0.5 s.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class FeatureBenchmarks
{
    private const int Assets = 20;
    private const int Bars = 50_000;
    private readonly FeatureSpec _perAsset = FeatureSpec.Default.Where(f => !f.IsCrossAsset);
    private PricePanel _panel = null!;
    private double[][] _returns = null!;
    private double[][] _closeRows = null!;
    private double[][] _volumeRows = null!;
    private double[] _matrix = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(20_240_101);
        var close = new double[Assets][];
        var volume = new double[Assets][];
        for (var a = 0; a < Assets; a++)
        {
            close[a] = new double[Bars];
            volume[a] = new double[Bars];
            var p = 100.0;
            for (var t = 0; t < Bars; t++)
            {
                p *= Math.Exp(0.03 * (rng.NextDouble() - 0.5));
                close[a][t] = p;
                volume[a][t] = 1e6 * (1 + rng.NextDouble());
            }
        }

        var t0 = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var stamps = Enumerable.Range(0, Bars).Select(i => t0.AddDays(i)).ToArray();
        _panel = new PricePanel(stamps, [.. Enumerable.Range(0, Assets).Select(i => $"A{i}")], BarInterval.Daily, close, volume: volume);
        _returns = new double[Bars][];
        _closeRows = new double[Bars][];
        _volumeRows = new double[Bars][];
        for (var t = 0; t < Bars; t++)
        {
            _returns[t] = new double[Assets];
            _closeRows[t] = [.. Enumerable.Range(0, Assets).Select(a => close[a][t])];
            _volumeRows[t] = [.. Enumerable.Range(0, Assets).Select(a => volume[a][t])];
            for (var a = 0; a < Assets; a++)
            {
                _returns[t][a] = t == 0 ? double.NaN : Math.Log(close[a][t] / close[a][t - 1]);
            }
        }

        _matrix = new double[Assets * Assets];
    }

    /// <summary>The default spec's 11 per-asset features (returns, vols, momentum, drawdown, liquidity, z-scores), 1M asset-bars.</summary>
    [Benchmark]
    public FeatureFrame PerAssetFeatures_Build() => FeatureBuilder.Build(_panel, _perAsset);

    /// <summary>The full default spec, adding correlation to the market and average pairwise correlation (60 bars).</summary>
    [Benchmark]
    public FeatureFrame DefaultSpec_Build() => FeatureBuilder.Build(_panel, FeatureSpec.Default);

    /// <summary>The full 20×20 rolling correlation matrix (60 bars), updated and written out at every bar.</summary>
    [Benchmark]
    public double RollingCorrelationMatrix_20x20()
    {
        var corr = new RollingCorrelation(Assets, 60);
        var sum = 0.0;
        foreach (var r in _returns)
        {
            corr.Update(r);
            corr.CopyCorrelation(_matrix);
            sum += _matrix[1];
        }

        return sum;
    }

    /// <summary>The live path: the default spec one bar at a time into caller buffers.</summary>
    [Benchmark]
    public double Incremental_DefaultSpec() => Incremental(FeatureSpec.Default);

    /// <summary>
    /// Per-asset features on the live path: 50,000 bars × 20 assets pushed one bar at a time into reused caller
    /// buffers, so the figure is the update rate itself (asset-bar updates per second = 1,000,000 / mean), without
    /// the bulk path's 88 MB output allocation. Each bar arrives as a row of closes and a row of volumes, as a live
    /// feed delivers it (the rows are built in setup, so gathering 40 columns of the panel is not timed).
    /// </summary>
    [Benchmark]
    public double PerAssetFeatures_IncrementalUpdate() => Incremental(_perAsset);

    private double Incremental(FeatureSpec spec)
    {
        var b = new IncrementalFeatureBuilder(spec, _panel.Assets);
        var row = new double[Assets * spec.Features.Count];
        var ok = new bool[Assets];
        var stamps = _panel.Timestamps;
        for (var t = 0; t < Bars; t++)
        {
            b.Update(stamps[t], _closeRows[t], _volumeRows[t], row, ok);
        }

        return row[0];
    }
}
