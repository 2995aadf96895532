using System.Diagnostics;
using System.Globalization;
using System.Text;
using CsCheck;
using Predictive.Research.Statistics;
using Predictive.Tests.Shared;
using Predictive.Training.Study;

namespace Predictive.Training.Tests.Study;

/// <summary>
/// The intervals against numpy: the test draws the bootstrap's resample positions with the same seeded generator
/// (<see cref="StationaryBootstrap.ResampleIndices"/>), and numpy computes every resample's annualized Sharpe ratio
/// (and paired difference) and the percentiles itself. The resampling is checked on its own by its properties
/// (indices in range, blocks continuing across the series' end, mean block length).
/// </summary>
[TestClass]
public sealed class SharpeConfidenceTests
{
    private const string Python = "/usr/bin/python3";
    private const double BarsPerYear = 365;

    [TestMethod]
    public void Compute_TwoFoldsAgainstBenchmark_MatchesNumpyPercentiles()
    {
        if (!File.Exists(Python))
        {
            Prerequisites.Missing($"{Python} with numpy is not available", "run eng/install-python-deps.sh (Debian python3-numpy)");
        }

        var rng = new Random(5);
        double[][] strategy = [Returns(rng, 180, 0.001), Returns(rng, 240, 0.0004)];
        double[][] benchmark = [.. strategy.Select(r => r.Select(x => (0.8 * x) + ((rng.NextDouble() - 0.5) * 0.004)).ToArray())];

        var c = SharpeConfidence.Compute(strategy, benchmark, BarsPerYear);

        var all = strategy.SelectMany(r => r).ToArray();
        var allBenchmark = benchmark.SelectMany(r => r).ToArray();
        var expected = new List<(string What, ConfidenceInterval Got, double[] Numpy)>
        {
            ("fold 0", c.Folds[0], Numpy(strategy[0], null)),
            ("fold 1", c.Folds[1], Numpy(strategy[1], null)),
            ("overall", c.Overall, Numpy(all, null)),
            ("margin fold 0", c.MarginFolds![0], Numpy(strategy[0], benchmark[0])),
            ("margin fold 1", c.MarginFolds[1], Numpy(strategy[1], benchmark[1])),
            ("margin overall", c.MarginOverall!, Numpy(all, allBenchmark)),
        };
        foreach (var (what, got, numpy) in expected)
        {
            Assert.AreEqual(numpy[0], got.Low, 1e-9, what + " low");
            Assert.AreEqual(numpy[1], got.High, 1e-9, what + " high");
            Assert.IsLessThan(got.High, got.Low, what);
        }
    }

    [TestMethod]
    public void ResampleIndices_AnyLengthAndBlockLength_EveryIndexInRange()
    {
        // Independent of the numpy check above, which reuses these indices: the resampling itself. CsCheck prints the
        // failing case's seed; rerun with CsCheck_Seed=<seed> to replay it.
        Gen.Select(Gen.Int[2, 60], Gen.Double[1.5, 12], Gen.Int).Sample((n, length, seed) =>
        {
            var random = new Random(seed);
            var idx = new int[n * 20];
            StationaryBootstrap.ResampleIndices(random, n, length, idx);
            Assert.IsTrue(idx.All(i => i >= 0 && i < n), "every index is a position of the series");
        });
    }

    [TestMethod]
    public void ResampleIndices_ManyDraws_BlocksWrapAroundAndMeanBlockLengthIsTheConfiguredOne()
    {
        const int n = 200;
        const double length = 6;
        var random = new Random(3);
        var idx = new int[n];
        long blocks = 0, wraps = 0, continued = 0;
        for (var draw = 0; draw < 3_000; draw++)
        {
            StationaryBootstrap.ResampleIndices(random, n, length, idx);
            blocks++;
            for (var k = 1; k < n; k++)
            {
                if (idx[k] == (idx[k - 1] + 1) % n)
                {
                    continued++;
                    wraps += idx[k] == 0 ? 1 : 0;
                }
                else
                {
                    blocks++;
                }
            }
        }

        // A block continues with probability 1 − 1/L (a fresh start lands on the next position by chance 1/n of the
        // time, which reads as a continuation), so a step is a continuation with probability (1 − 1/L) + 1/(L·n).
        var expectedContinue = (1 - (1 / length)) + (1 / (length * n));
        var steps = 3_000.0 * (n - 1);
        Assert.AreEqual(expectedContinue, continued / steps, 0.005, "share of steps that continue a block");
        // Blocks are cut by the series' end, so the observed mean is a little under L; the full blocks average L.
        Assert.AreEqual(length, 1 / (1 - expectedContinue) * (1 - (1.0 / n)), 0.05);
        Assert.AreEqual(length, (steps + 3_000) / blocks, 0.25, "mean block length over all draws");
        Assert.IsGreaterThan(0, wraps, "blocks continue from the last position to the first");
    }

    private static double[] Returns(Random rng, int n, double drift) =>
        [.. Enumerable.Range(0, n).Select(_ => drift + ((rng.NextDouble() - 0.5) * 0.06))];

    // numpy's percentiles of the annualized Sharpe (or paired Sharpe difference) over the resamples the bootstrap draws.
    private static double[] Numpy(double[] a, double[]? b)
    {
        var length = StationaryBootstrap.DefaultBlockLength(a.Length);
        var random = new Random(SharpeConfidence.Seed);
        var idx = new int[a.Length];
        var dir = Directory.CreateTempSubdirectory("predictive-ci-").FullName;
        try
        {
            var lines = new StringBuilder();
            for (var r = 0; r < SharpeConfidence.Resamples; r++)
            {
                StationaryBootstrap.ResampleIndices(random, a.Length, length, idx);
                lines.AppendLine(string.Join(' ', idx));
            }

            File.WriteAllText(Path.Combine(dir, "idx.txt"), lines.ToString());
            File.WriteAllText(Path.Combine(dir, "a.txt"), string.Join('\n', a.Select(x => x.ToString("R", CultureInfo.InvariantCulture))));
            File.WriteAllText(Path.Combine(dir, "b.txt"), string.Join('\n', (b ?? a).Select(x => x.ToString("R", CultureInfo.InvariantCulture))));
            var script = string.Create(CultureInfo.InvariantCulture, $$"""
                import numpy as np
                d = "{{dir}}"
                idx = np.loadtxt(d + "/idx.txt", dtype=np.int64, ndmin=2)
                a = np.loadtxt(d + "/a.txt")[idx]
                b = np.loadtxt(d + "/b.txt")[idx]
                sharpe = lambda x: x.mean(axis=1) / x.std(axis=1, ddof=1) * np.sqrt({{BarsPerYear}})
                stat = sharpe(a) - sharpe(b) if {{(b is null ? "False" : "True")}} else sharpe(a)
                stat = stat[np.isfinite(stat)]
                lo, hi = np.quantile(stat, [{{(1 - SharpeConfidence.Level) / 2:R}}, {{1 - ((1 - SharpeConfidence.Level) / 2):R}}])
                print(repr(float(lo)), repr(float(hi)))
                """);
            using var p = Process.Start(new ProcessStartInfo(Python, ["-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = p.StandardOutput.ReadToEnd();
            var error = p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.AreEqual(0, p.ExitCode, error);
            return [.. output.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(x => double.Parse(x, CultureInfo.InvariantCulture))];
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
