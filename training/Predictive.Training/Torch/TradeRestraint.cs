using Predictive.Training.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Predictive.Training.Torch;

/// <summary>
/// Two of the three ways the trainer can learn where not to trade (the third, the tilt toward 1/N, is part of the
/// network: <see cref="AllocatorNetwork.Tilt"/>): a turnover penalty calibrated to the cost model, and a no-trade band
/// applied inside the training loop.
/// </summary>
public static class TradeRestraint
{
    /// <summary>
    /// The cost model's cost per unit of turnover for a leg the size of one equal-weight position (<c>u₀ = 1/assets</c>
    /// of the portfolio), with the fit range's mean gas: <c>f + (1 − f)²V·u₀/(D + (1 − f)V·u₀) + ḡ/u₀</c>. The
    /// penalty <see cref="TorchTrainerOptions.TurnoverPenalty"/> is a multiple of it.
    /// </summary>
    /// <param name="cost">The training cost model.</param>
    /// <param name="data">The dataset.</param>
    /// <param name="fit">The samples the mean gas is taken over.</param>
    public static double CalibratedPenaltyRate(PoolCostLoss cost, TrainingDataset data, SampleRange fit)
    {
        ArgumentNullException.ThrowIfNull(cost);
        ArgumentNullException.ThrowIfNull(data);
        if (fit.IsEmpty || fit.Start < 0 || fit.End > data.SampleCount)
        {
            throw new ArgumentOutOfRangeException(nameof(fit), fit, $"the range must be non-empty and inside the dataset's {data.SampleCount} samples.");
        }

        double gas = 0;
        for (var s = fit.Start; s < fit.End; s++)
        {
            gas += cost.GasFraction(s);
        }

        gas /= fit.Count;
        var u = 1.0 / data.AssetCount;
        var keep = 1 - cost.FeeFraction;
        var impact = keep * keep * cost.PortfolioValueQuote * u / (cost.PoolDepthQuote + (keep * cost.PortfolioValueQuote * u));
        return cost.FeeFraction + impact + (gas / u);
    }

    /// <summary>
    /// The weights a no-trade band of half-width <paramref name="band"/> would move to: each asset's move
    /// <c>d = w − held</c> is shrunk to <c>sign(d)·max(|d| − band, 0)</c>, then the row is renormalized to sum 1
    /// (the shrunk moves no longer net to zero). Moves inside the band vanish; the rest stop at the band's edge.
    /// Long-only stays long-only: a sale is never larger than <c>held − w</c>. Differentiable almost everywhere.
    /// </summary>
    /// <param name="weights">Targets <c>[batch, assets]</c>.</param>
    /// <param name="held">Held weights <c>[batch, assets]</c>, rows summing to 1.</param>
    /// <param name="band">The half-width, in (0, 1).</param>
    public static Tensor ApplyBand(Tensor weights, Tensor held, float band)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(held);
        // Explicit scalars kept alive over the native calls (see AllocatorNetwork).
        using var one = 1.ToScalar();
        using var width = band.ToScalar();
        using var tiny = 1e-12.ToScalar();
        var move = weights.sub(held);
        var kept = held.add(move.sign().mul(nn.functional.relu(move.abs().sub(width))), one);
        return kept.div(kept.sum(1, keepdim: true).clamp_min(tiny));
    }
}
