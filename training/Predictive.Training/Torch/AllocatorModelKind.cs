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

/// <summary>The trading cost the training loss charges.</summary>
public enum TrainingCostKind
{
    /// <summary>A linear stand-in: <c>CostRate × Σ|w − held|</c>.</summary>
    Linear,

    /// <summary>Core's cost model: pool fee, constant-product impact at the portfolio's size and the pools' depth, gas per traded asset (<see cref="PoolCostLoss"/>).</summary>
    Pool,
}
