using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Predictive.Core.Backtesting;
using Predictive.Tests.Shared;

namespace Predictive.Benchmarks.Backtesting;

/// <summary>
/// The backtester on 20 assets × 50,000 bars, every policy: 1/N target, the full cost model (30 bps fee, exact
/// constant-product impact at 50 M depth, 130k gas per swap). Goals (issue 21): every policy within 2× of the calendar
/// policy's time; faster than the numpy reference <c>bench/numpy/backtest.py</c> running the same backtest on the same
/// data for every policy it has (all but the cost-aware band), which <see cref="Setup"/> exports to
/// <c>artifacts/backtest-bench/</c> (prices.bin, gas.bin, params-&lt;policy&gt;.json with this run's final equity and
/// swap count to check against). Results: docs/backtesting.md, "Every policy" (raw: docs/benchmarks/backtest.md).
/// </summary>
/// <remarks>
/// <para>Each iteration is one run after a full collection (<see cref="Collect"/>; one invocation per iteration, so 40
/// warm-up runs let every method reach its optimized tier), as <see cref="PolicyRatios"/> times them: otherwise the
/// collections and the first touch of fresh pages that one run's garbage causes are paid by whichever run comes next,
/// which on the 2-core VM cost more than a calendar run (docs/benchmarks/backtest.md, runs 8 and 9).</para>
/// <para>Each policy runs in a process of its own (BenchmarkDotNet's default), so the tiered compiler's profile of
/// the shared code is that policy's, not the first case's. In those processes large arrays stay on the small-object
/// heap (<c>DOTNET_GCLOHThreshold</c> asks for 64 MB, <see cref="Settings"/>; the regions collector caps it at its region
/// size, a few MB, which these arrays are below): a run's per-bar arrays (equity, returns,
/// decisions: 0.4–2.4 MB each) otherwise go to the large-object heap, whose memory a full collection hands back to
/// the system and the next run faults in again, page by page. On the 2-core VM that cost about 2 ms on every other
/// run, more than a third of a calendar run, and decided which policies looked slow (docs/benchmarks/backtest.md, run 10).
/// <c>dotnet run -c Release --project tests/Predictive.Benchmarks -- --filter '*BacktestBenchmarks*'</c></para>
/// </remarks>
[Config(typeof(Settings))]
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
[InvocationCount(1, 1)]
[WarmupCount(40)]
[IterationCount(31)]
public class BacktestBenchmarks
{
    /// <summary>64 MB asked: arrays below it (below the collector's region size, under the regions collector) are allocated on the small-object heap (<c>System.GC.LOHThreshold</c>, here for the benchmark processes BenchmarkDotNet starts; <c>runtimeconfig.template.json</c> sets it for this host).</summary>
    private const string LohThreshold = "0x4000000";
    private const int Assets = 20;
    private const int Bars = 50_000;
    private Backtester _backtester = null!;
    private FixedTargets _targets = null!;

    private PolicySpec _policy = null!;

    /// <summary>The policy, in <c>compare --policies</c> form.</summary>
    [Params("calendar:24", "band:0.01", "band:0.05", "band-l1:0.1", "cost-band", "full")]
    public string Policy { get; set; } = "calendar:24";

    [GlobalSetup]
    public void Setup()
    {
        var panel = RandomWalkPanel.Create(Assets, Bars, seed: 20_240_101);
        var market = new BacktestMarket(panel);
        _backtester = new Backtester(market, new BacktestOptions { StartBar = 0, InitialValueQuote = 1_000_000m });
        _targets = FixedTargets.Equal(Assets);
        _policy = PolicySpec.Parse(Policy);
        var result = _backtester.RunAsync(_targets, _policy).GetAwaiter().GetResult();
        var (kind, parameter) = Policy.Split(':') switch
        {
            ["band", var b] => ("band", $"\"band\": {b}"),
            ["band-l1", var b] => ("band-l1", $"\"band\": {b}"),
            ["calendar", var every] => ("calendar", $"\"every\": {every}"),
            ["full"] => ("full", "\"full\": true"),
            _ => (null, null), // the cost-aware band has no numpy reference
        };
        if (kind is not null)
        {
            Export(market, result, kind, parameter!);
        }
    }

    /// <summary>A full collection before every run, so no run pays for collecting another's garbage.</summary>
    [IterationSetup]
#pragma warning disable CA1822 // BenchmarkDotNet calls an iteration setup on the benchmark's instance.
    public void Collect()
#pragma warning restore CA1822
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
    }

    [Benchmark]
    public double Run() => _backtester.RunAsync(_targets, _policy).GetAwaiter().GetResult().FinalEquity;

    /// <summary>
    /// Each policy in three processes of its own, one after another, whose collector keeps the per-bar arrays on the
    /// small-object heap (see the remarks): the median is over the three processes' iterations, so a slow spell of the
    /// shared machine during one process's second of timing moves it little.
    /// </summary>
    private sealed class Settings : ManualConfig
    {
        public Settings() => AddJob(Job.Default.WithEnvironmentVariable("DOTNET_GCLOHThreshold", LohThreshold).WithLaunchCount(3));
    }

    private void Export(BacktestMarket market, BacktestResult result, string kind, string parameter)
    {
        var dir = RepositoryPaths.Combine("artifacts", "backtest-bench");
        Directory.CreateDirectory(dir);
        var n = market.Assets.Count;
        var bars = market.Panel.BarCount;
        using (var w = new BinaryWriter(File.Create(Path.Combine(dir, "prices.bin"))))
        {
            for (var t = 0; t < bars; t++)
            {
                foreach (var p in market.Prices(t))
                {
                    w.Write(p);
                }
            }
        }

        using (var w = new BinaryWriter(File.Create(Path.Combine(dir, "gas.bin"))))
        {
            for (var t = 0; t < bars; t++)
            {
                w.Write(market.GasPerSwapQuote(t));
            }
        }

        File.WriteAllText(Path.Combine(dir, $"params-{Policy.Replace(':', '-')}.json"), string.Create(CultureInfo.InvariantCulture,
            $$"""{"bars": {{bars}}, "assets": {{n}}, "policy": "{{kind}}", {{parameter}}, "initial": 1000000, "depth": {{market.VenueOptions.FixedDepthQuote}}, "fee_bps": {{market.CostModel.Options.PoolFeeBps}}, "min_trade": {{market.PlannerOptions.MinTradeQuote}}, "max_impact_bps": {{market.PlannerOptions.MaxPriceImpactBps}}, "csharp_final_equity": {{result.FinalEquity:R}}, "csharp_trades": {{result.Trades.Count}}}"""));
    }
}
