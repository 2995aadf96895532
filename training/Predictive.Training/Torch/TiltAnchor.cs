namespace Predictive.Training.Torch;

/// <summary>The classical portfolio a tilted network's output is shrunk toward (<see cref="AnchorTilt"/>).</summary>
public enum TiltAnchor
{
    /// <summary>1/N over the available assets.</summary>
    EqualWeight,

    /// <summary>
    /// The diagonal minimum-variance portfolio: weights ∝ 1/σ² over the available assets, σ the realized volatility
    /// feature of the decision bar (the trailing window's root mean square log return). It is the long-only
    /// minimum-variance portfolio of the trailing window's covariance with its off-diagonal terms set to 0.
    /// </summary>
    MinVariance,
}
