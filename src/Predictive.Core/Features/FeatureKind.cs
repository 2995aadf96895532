namespace Predictive.Core.Features;

/// <summary>What a feature measures. Serialized in camelCase (<c>logReturn</c>, <c>ewmaVolatility</c>, …).</summary>
public enum FeatureKind
{
    /// <summary>Log return over <c>window</c> bars: ln(close[t] / close[t − window]).</summary>
    LogReturn,

    /// <summary>EWMA volatility of one-bar log returns with half-life <c>window</c> bars (bias-corrected weights).</summary>
    EwmaVolatility,

    /// <summary>Realized volatility: √(mean of r²) over the last <c>window</c> one-bar log returns (not demeaned).</summary>
    RealizedVolatility,

    /// <summary>Downside volatility: √(mean of min(r, 0)²) over the last <c>window</c> one-bar log returns.</summary>
    DownsideVolatility,

    /// <summary>Volatility-scaled momentum: Σr / √(Σr²) over the last <c>window</c> one-bar log returns.</summary>
    Momentum,

    /// <summary>Drawdown from the running peak close since listing: close / peak − 1 (≤ 0). <c>window</c> must be 0.</summary>
    Drawdown,

    /// <summary>Rolling mean over <c>window</c> bars of ln(1 + volume), volume in quote currency.</summary>
    LogDollarVolume,

    /// <summary>Amihud illiquidity: rolling mean over <c>window</c> bars of |r| / max(volume, 1) × 10⁶ (per million of quote).</summary>
    AmihudIlliquidity,

    /// <summary>Correlation over <c>window</c> bars of the asset's one-bar log returns with the equal-weight market's.</summary>
    MarketCorrelation,

    /// <summary>Average correlation over all pairs of assets with a full window of returns, the same value for every asset.</summary>
    AveragePairwiseCorrelation,
}

/// <summary>How a raw feature value is transformed before it is stored. Serialized in camelCase.</summary>
public enum FeatureNormalization
{
    /// <summary>The raw value.</summary>
    None,

    /// <summary>
    /// Cross-sectional z-score at the same bar: (x − mean) / standard deviation over the assets whose raw value is finite.
    /// 0 when fewer than two assets have a value or they all agree. Uses only the current bar, so it adds no look-ahead.
    /// </summary>
    CrossSectionalZScore,
}
