namespace Predictive.Training.Torch;

/// <summary>Which TorchSharp network learns the allocation.</summary>
public enum AllocatorModelKind
{
    /// <summary>
    /// Asset-wise network with weights shared across assets (EIIE, Jiang et al. 2017) plus mean-pooled cross-asset
    /// context; serves any number of assets in any order.
    /// </summary>
    Eiie,

    /// <summary>Plain MLP on the flattened features of a fixed, recorded asset list.</summary>
    Mlp,
}

/// <summary>The training objective; both are net of transaction costs.</summary>
public enum PortfolioLossKind
{
    /// <summary>Minus the Sharpe ratio of the batch's net period returns (Zhang, Zohren &amp; Roberts 2020).</summary>
    NegativeSharpe,

    /// <summary>Minus the mean-variance utility <c>mean − λ/2 · variance</c> of the batch's net period returns.</summary>
    MeanVariance,
}
