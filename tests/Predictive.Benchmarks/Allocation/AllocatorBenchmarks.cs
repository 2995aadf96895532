using BenchmarkDotNet.Attributes;
using Predictive.Benchmarks.MarketData;
using Predictive.Core.Allocation;
using Predictive.Core.Features;
using Predictive.Core.MarketData;
using Predictive.Core.Numerics;
using Predictive.Tests.Shared;

namespace Predictive.Benchmarks.Allocation;

/// <summary>
/// One max-sharpe / min-variance decision on the real 21-asset daily universe (crypto-daily.csv from ../shared/data,
/// stablecoins included): the 90-day Ledoit-Wolf estimate at <see cref="Decisions"/> bars spread over the last walk-forward
/// fold, no cap, as <c>predictive train</c> runs them. "New" is the allocator (active-set QP; max-sharpe as one
/// homogenized QP); "Old" is the earlier method on the same estimate (projected-gradient QP; max-sharpe as a frontier
/// scan of about 85 such QPs). Figures are per decision.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class AllocatorBenchmarks
{
    private const int Decisions = 4;
    private readonly MaximumSharpeAllocator _maxSharpe = new();
    private readonly MinimumVarianceAllocator _minVariance = new();
    private AllocationInput[] _inputs = [];
    private double[][] _covariances = [];
    private double[][] _means = [];

    [GlobalSetup]
    public void Setup()
    {
        var panel = MarketDataFile.Read(SharedData.Find("crypto-daily.csv"));
        var n = panel.AssetCount;
        var estimator = new RiskEstimator();
        var prev = Enumerable.Repeat(1.0 / n, n).ToArray();
        var available = Enumerable.Repeat(true, n).ToArray();
        _inputs = Enumerable.Range(0, Decisions)
            .Select(k => estimator.Estimate(panel, panel.BarCount - 1 - (k * 150)))
            .Select(risk => new AllocationInput([.. panel.Assets], [], [], prev, available, risk))
            .ToArray();
        _covariances = [.. _inputs.Select(i => i.Risk!.Covariance.ToArray())];
        _means = [.. _inputs.Select(i => i.Risk!.ExpectedReturns.ToArray())];
        if (_means.Any(m => m.Any(x => !double.IsFinite(x))))
        {
            throw new InvalidOperationException("Every asset must have a full risk window at the benchmark bars.");
        }
    }

    [Benchmark(OperationsPerInvoke = Decisions)]
    public double MaxSharpeNew() => _inputs.Sum(i => _maxSharpe.Allocate(i)[0]);

    [Benchmark(OperationsPerInvoke = Decisions)]
    public double MaxSharpeOld() => Enumerable.Range(0, Decisions).Sum(k => FrontierScanMaxSharpe.Solve(_covariances[k], _means[k], Caps(_means[k].Length))[0]);

    [Benchmark(OperationsPerInvoke = Decisions)]
    public double MinVarianceNew() => _inputs.Sum(i => _minVariance.Allocate(i)[0]);

    [Benchmark(OperationsPerInvoke = Decisions)]
    public double MinVarianceOld() => Enumerable.Range(0, Decisions).Sum(k => CappedSimplexQp.SolveIterative(_covariances[k], new double[_means[k].Length], Caps(_means[k].Length))[0]);

    private static double[] Caps(int assets) => Enumerable.Repeat(1.0, assets).ToArray();
}
