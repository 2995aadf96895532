namespace Predictive.Core.Synthetic;

/// <summary>The state of the synthetic market's hidden Markov chain.</summary>
public enum MarketRegime
{
    /// <summary>Low volatility, small drift, loose correlation.</summary>
    Calm,

    /// <summary>Positive drift, moderate volatility and correlation.</summary>
    Trending,

    /// <summary>Negative drift, high volatility, assets move together, volume surges.</summary>
    Crash,
}

/// <summary>How returns behave in one regime (per bar, in log-return units).</summary>
/// <param name="Drift">Mean log return per bar.</param>
/// <param name="Volatility">Standard deviation of the log return per bar, before the per-asset scale.</param>
/// <param name="Correlation">Share of variance from the common factor, in [0, 1): the pairwise correlation of any two assets.</param>
/// <param name="VolumeMultiplier">Scales traded volume in this regime (crashes trade more).</param>
public sealed record RegimeParameters(double Drift, double Volatility, double Correlation, double VolumeMultiplier);
