namespace Predictive.Research.Statistics;

/// <summary>
/// The probabilistic and deflated Sharpe ratios (Bailey and López de Prado 2012, 2014). All Sharpe ratios are per
/// bar (not annualized).
/// </summary>
/// <remarks>
/// PSR(SR*) = Φ((SR − SR*)·√(T − 1) / √(1 − γ₃·SR + (γ₄ − 1)/4·SR²)), γ₃ the skewness and γ₄ the (non-excess) kurtosis
/// of the returns. The deflated ratio is PSR against the Sharpe ratio the best of N independent trials would reach by
/// luck: SR₀ = √V[SR]·((1 − γ)·Φ⁻¹(1 − 1/N) + γ·Φ⁻¹(1 − 1/(N·e))), γ the Euler–Mascheroni constant and V[SR] the
/// variance of the trials' Sharpe ratios.
/// </remarks>
public static class DeflatedSharpe
{
    /// <summary>The Euler–Mascheroni constant.</summary>
    public const double EulerGamma = 0.5772156649015329;

    /// <summary>The probabilistic Sharpe ratio: P(true SR &gt; <paramref name="benchmark"/>).</summary>
    /// <param name="sharpe">Observed per-bar Sharpe ratio.</param>
    /// <param name="benchmark">SR*, per bar.</param>
    /// <param name="observations">T, the number of returns.</param>
    /// <param name="skewness">γ₃ of the returns.</param>
    /// <param name="kurtosis">γ₄ of the returns (3 for normal).</param>
    public static double Probabilistic(double sharpe, double benchmark, int observations, double skewness, double kurtosis)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(observations, 2);
        var variance = 1 - (skewness * sharpe) + ((kurtosis - 1) / 4 * sharpe * sharpe);
        return variance <= 0 ? double.NaN : Normal.Cdf((sharpe - benchmark) * Math.Sqrt(observations - 1) / Math.Sqrt(variance));
    }

    /// <summary>SR₀, the expected maximum Sharpe ratio of <paramref name="trials"/> unskilled trials whose Sharpe ratios have variance <paramref name="sharpeVariance"/>.</summary>
    public static double ExpectedMaximum(int trials, double sharpeVariance)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, 1);
        if (trials == 1 || !(sharpeVariance > 0))
        {
            return 0;
        }

        return Math.Sqrt(sharpeVariance) * (((1 - EulerGamma) * Normal.InverseCdf(1 - (1.0 / trials))) + (EulerGamma * Normal.InverseCdf(1 - (1.0 / (trials * Math.E)))));
    }

    /// <summary>The deflated Sharpe ratio of one strategy among <paramref name="trials"/>.</summary>
    public static double Deflated(double sharpe, int observations, double skewness, double kurtosis, int trials, double sharpeVariance) =>
        Probabilistic(sharpe, ExpectedMaximum(trials, sharpeVariance), observations, skewness, kurtosis);

    /// <summary>The deflated Sharpe ratio of each of a set of compared strategies (the set is the trials).</summary>
    /// <param name="returns">Per-bar returns of each strategy.</param>
    public static double[] ForTrials(IReadOnlyList<double[]> returns)
    {
        ArgumentNullException.ThrowIfNull(returns);
        var sharpes = returns.Select(r => ReturnStatistics.Sharpe(r)).ToArray();
        var finite = sharpes.Where(double.IsFinite).ToArray();
        var variance = finite.Length < 2 ? 0 : Math.Pow(ReturnStatistics.StdDev(finite), 2);
        var result = new double[returns.Count];
        for (var k = 0; k < returns.Count; k++)
        {
            var r = returns[k];
            result[k] = double.IsFinite(sharpes[k]) && r.Length >= 2
                ? Deflated(sharpes[k], r.Length, ReturnStatistics.Skewness(r), ReturnStatistics.Kurtosis(r), returns.Count, variance)
                : double.NaN;
        }

        return result;
    }
}
