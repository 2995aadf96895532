namespace Predictive.Research.Statistics;

/// <summary>
/// The stationary bootstrap of Politis and Romano (1994): resamples a dependent series in blocks of geometric length
/// with mean <see cref="MeanBlockLength"/>, wrapping around the end, so resamples are stationary and keep short-range
/// dependence (volatility clustering) that an i.i.d. bootstrap would destroy. Seeded: the same seed gives the same resamples.
/// </summary>
public sealed class StationaryBootstrap
{
    /// <summary>Creates the bootstrap.</summary>
    /// <param name="meanBlockLength">The expected block length L ≥ 1 (a new block starts with probability 1/L).</param>
    /// <param name="resamples">The number of resamples B. The default value is 1,000.</param>
    /// <param name="seed">The random seed. The default value is 42.</param>
    public StationaryBootstrap(double meanBlockLength, int resamples = 1_000, int seed = 42)
    {
        if (!(meanBlockLength >= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(meanBlockLength), meanBlockLength, "the mean block length must be ≥ 1.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 10);
        MeanBlockLength = meanBlockLength;
        Resamples = resamples;
        Seed = seed;
    }

    /// <summary>The expected block length.</summary>
    public double MeanBlockLength { get; }

    /// <summary>The number of resamples.</summary>
    public int Resamples { get; }

    /// <summary>The seed.</summary>
    public int Seed { get; }

    /// <summary>The default mean block length for a series of <paramref name="length"/> values: ⌈T^{1/3}⌉, the optimal rate.</summary>
    public static double DefaultBlockLength(int length) => Math.Max(1, Math.Ceiling(Math.Cbrt(length)));

    /// <summary>Fills <paramref name="indices"/> with one resample's source positions.</summary>
    public static void ResampleIndices(Random random, int length, double meanBlockLength, Span<int> indices)
    {
        ArgumentNullException.ThrowIfNull(random);
        var p = 1 / meanBlockLength;
        var at = random.Next(length);
        for (var k = 0; k < indices.Length; k++)
        {
            if (k > 0)
            {
                at = random.NextDouble() < p ? random.Next(length) : (at + 1) % length;
            }

            indices[k] = at;
        }
    }

    /// <summary>The statistic over every resample of <paramref name="series"/>.</summary>
    public double[] Distribution(ReadOnlySpan<double> series, Func<double[], double> statistic)
    {
        ArgumentNullException.ThrowIfNull(statistic);
        if (series.Length < 2)
        {
            throw new ArgumentException($"The bootstrap needs at least 2 values; got {series.Length}.", nameof(series));
        }

        var random = new Random(Seed);
        var idx = new int[series.Length];
        var sample = new double[series.Length];
        var result = new double[Resamples];
        for (var b = 0; b < Resamples; b++)
        {
            ResampleIndices(random, series.Length, MeanBlockLength, idx);
            for (var k = 0; k < idx.Length; k++)
            {
                sample[k] = series[idx[k]];
            }

            result[b] = statistic(sample);
        }

        return result;
    }

    /// <summary>The percentile confidence interval of the annualized Sharpe ratio of <paramref name="returns"/>.</summary>
    /// <param name="returns">Per-bar returns.</param>
    /// <param name="barsPerYear">Annualization (Sharpe × √barsPerYear).</param>
    /// <param name="level">The confidence level. The default value is 0.95.</param>
    public (double Low, double High) SharpeInterval(ReadOnlySpan<double> returns, double barsPerYear, double level = 0.95)
    {
        var scale = Math.Sqrt(barsPerYear);
        var dist = Distribution(returns, s => ReturnStatistics.Sharpe(s) * scale).Where(double.IsFinite).ToArray();
        var tail = (1 - level) / 2;
        return (ReturnStatistics.Quantile(dist, tail), ReturnStatistics.Quantile(dist, 1 - tail));
    }

    /// <summary>
    /// The percentile confidence interval of the difference of annualized Sharpe ratios, Sharpe(<paramref name="a"/>) −
    /// Sharpe(<paramref name="b"/>), for two return series over the same bars. Both series are resampled with the same
    /// blocks (a paired bootstrap), so what they share, the market, cancels and only the difference is tested.
    /// </summary>
    /// <param name="a">Per-bar returns of the first strategy.</param>
    /// <param name="b">Per-bar returns of the second, on the same bars.</param>
    /// <param name="barsPerYear">Annualization (Sharpe × √barsPerYear).</param>
    /// <param name="level">The confidence level. The default value is 0.95.</param>
    /// <exception cref="ArgumentException">The series differ in length or have fewer than 2 values.</exception>
    public (double Low, double High) SharpeDifferenceInterval(ReadOnlySpan<double> a, ReadOnlySpan<double> b, double barsPerYear, double level = 0.95)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"The paired bootstrap needs series over the same bars; got {a.Length} and {b.Length} returns.", nameof(b));
        }

        if (a.Length < 2)
        {
            throw new ArgumentException($"The bootstrap needs at least 2 values; got {a.Length}.", nameof(a));
        }

        var scale = Math.Sqrt(barsPerYear);
        var random = new Random(Seed);
        var idx = new int[a.Length];
        var sampleA = new double[a.Length];
        var sampleB = new double[a.Length];
        var dist = new List<double>(Resamples);
        for (var r = 0; r < Resamples; r++)
        {
            ResampleIndices(random, a.Length, MeanBlockLength, idx);
            for (var k = 0; k < idx.Length; k++)
            {
                sampleA[k] = a[idx[k]];
                sampleB[k] = b[idx[k]];
            }

            var difference = (ReturnStatistics.Sharpe(sampleA) - ReturnStatistics.Sharpe(sampleB)) * scale;
            if (double.IsFinite(difference))
            {
                dist.Add(difference);
            }
        }

        var sorted = dist.ToArray();
        var tail = (1 - level) / 2;
        return (ReturnStatistics.Quantile(sorted, tail), ReturnStatistics.Quantile(sorted, 1 - tail));
    }
}
