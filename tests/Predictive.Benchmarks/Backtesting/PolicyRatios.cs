using System.Diagnostics;
using System.Globalization;
using Predictive.Core.Backtesting;
using Predictive.Tests.Shared;

namespace Predictive.Benchmarks.Backtesting;

/// <summary>
/// <c>dotnet run -c Release --project tests/Predictive.Benchmarks -- policy-ratios [rounds] [policy,…]</c>: the
/// <see cref="BacktestBenchmarks"/> backtest (20 assets × 50,000 bars, 1/N, default costs) for every policy, the
/// policies taking turns run by run in one process, so each ratio to calendar:24 compares runs made in the same minute
/// on the same compiled code. The shared machine's speed drifts by half again from one minute to the next, which moves
/// the absolute times of separate BenchmarkDotNet runs far more than the code does; the ratios within one round-robin
/// do not. Each timed run starts after a full collection, so no policy pays for collecting another's garbage. Prints
/// each policy's median, its ratio to calendar:24's (to the first policy listed, when a list is given), the memory it
/// allocates per run, the collections during its runs and its fastest run. A run also pays for first touching the pages of what it
/// allocates (about 5 MB, most of it the per-bar decision records), which costs every policy about the same.
/// </summary>
/// <remarks>
/// Measured on the 2-core VM (2026-12-08): with the per-bar arrays on the large-object heap, a full collection handed
/// their memory back to the system, and every other run paid to fault it in again (2–8 ms, more than calendar:24's
/// whole run); the rotation's order then decided which policies paid it. This host keeps such arrays on the
/// small-object heap (<c>System.GC.LOHThreshold</c> in <c>runtimeconfig.template.json</c>), which ends that. The last
/// two columns still give the median of each policy's fastest 40 % of runs and its ratio, for the machine's own slow
/// spells. Set <c>POLICY_RATIOS_RUNS=1</c> to print every run.
/// </remarks>
internal static class PolicyRatios
{
    private static readonly string[] Policies = ["calendar:24", "band:0.01", "band:0.05", "band-l1:0.1", "cost-band", "full"];

    /// <summary>Runs <paramref name="rounds"/> rounds of <paramref name="only"/> (a comma-separated list; every policy when null); ratios are to the first policy listed.</summary>
    public static void Run(int rounds, string? only = null)
    {
        var policies = only is null ? Policies : only.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var panel = RandomWalkPanel.Create(20, 50_000, seed: 20_240_101);
        var backtester = new Backtester(new BacktestMarket(panel), new BacktestOptions { StartBar = 0, InitialValueQuote = 1_000_000m });
        var targets = FixedTargets.Equal(20);
        var specs = policies.Select(PolicySpec.Parse).ToArray();
        var times = policies.Select(_ => new List<double>()).ToArray();
        var allocated = new long[policies.Length];
        var collections = new int[policies.Length];
        Console.WriteLine($"warming up (every policy 40 times, so the backtester's code is fully compiled), then {rounds} rounds…");
        for (var k = 0; k < 40; k++)
        {
            foreach (var spec in specs)
            {
                backtester.RunAsync(targets, spec).GetAwaiter().GetResult();
            }
        }

        for (var k = 0; k < rounds; k++)
        {
            for (var j = 0; j < specs.Length; j++)
            {
                // Each run starts on a collected heap, so it is not charged for collecting the previous policy's garbage.
                GC.Collect();
                GC.WaitForPendingFinalizers();
                var (bytes, gcs) = (GC.GetAllocatedBytesForCurrentThread(), GC.CollectionCount(0));
                var watch = Stopwatch.StartNew();
                backtester.RunAsync(targets, specs[j]).GetAwaiter().GetResult();
                times[j].Add(watch.Elapsed.TotalMilliseconds);
                allocated[j] += GC.GetAllocatedBytesForCurrentThread() - bytes;
                collections[j] += GC.CollectionCount(0) - gcs;
            }
        }

        if (Environment.GetEnvironmentVariable("POLICY_RATIOS_RUNS") is not null)
        {
            for (var j = 0; j < specs.Length; j++)
            {
                Console.WriteLine(policies[j] + ": " + string.Join(" ", times[j].Select(x => x.ToString("F2", CultureInfo.InvariantCulture))));
            }
        }

        var calendar = Median(times[0]);
        var calendarLow = LowMedian(times[0]);
        Console.WriteLine($"policy        median ms   ratio to {policies[0]}   MB allocated per run   collections per run   min ms   low-40% median ms   its ratio");
        for (var j = 0; j < specs.Length; j++)
        {
            var median = Median(times[j]);
            var low = LowMedian(times[j]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{policies[j],-12} {median,10:F2}   {median / calendar,6:F2}   {allocated[j] / 1e6 / rounds,20:F1}   {(double)collections[j] / rounds,19:F1}   {times[j].Min(),8:F2}   {low,17:F2}   {low / calendarLow,9:F2}"));
        }
    }

    /// <summary>The median of the fastest 40 % of the runs: those that paid no first touch of freshly mapped pages (see the class remarks).</summary>
    private static double LowMedian(List<double> values) => Median(values.Order().Take(Math.Max(1, values.Count * 2 / 5)).ToList());

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
