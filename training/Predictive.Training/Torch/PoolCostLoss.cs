using Predictive.Training.Data;
using Predictive.Training.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace Predictive.Training.Torch;

/// <summary>
/// The trading cost of one period as a fraction of the portfolio, written in torch so the loss can differentiate it:
/// Core's swap cost model (pool fee, exact constant-product impact at the portfolio's size and the pools' depth, gas per
/// traded asset) applied to each asset's move from the weights held to the weights chosen.
/// </summary>
/// <remarks>
/// <para>Each asset trades through its own pool against the quote asset. A leg of <c>q = V·|w − held|</c> quote units
/// into a pool of quote depth <c>D</c> with fee <c>f</c>, the pool at the reference price, loses
/// <c>f·q + (1 − f)²q² / (D + (1 − f)q)</c> (fee plus impact: <c>q</c> less the value the constant-product formula
/// pays out, the same for a buy and a sell) and pays one swap's gas <c>g</c>. Fee and impact are written exactly
/// (rearranged so float32 does not subtract nearly equal numbers).</para>
/// <para>Gas is the one step function: the exact model charges <c>g</c> for any leg of at least the planner's minimum
/// trade <c>m</c> and the training loss charges <c>g·min(1, q/m)</c>, a ramp whose slope teaches the network to leave
/// small legs alone. <b>Error bound</b>: the two agree exactly for legs of 0 and of at least <c>m</c>; a leg strictly
/// between differs by <c>g·(1 − q/m)</c> ≤ <c>g</c>, so a period's error is at most
/// <c>Σ over legs with 0 &lt; q &lt; m of g·(1 − q/m)/V</c> (<see cref="GasRampBound"/>) plus float32 rounding
/// (relative 1e-5 of the fee and impact). The exact model here is Core's <c>SwapCostModel</c>, charging gas on every
/// nonzero leg; the backtester's planner does not place legs under <c>m</c> at all, so for it the ramp's charge on
/// such legs is the whole error.</para>
/// <para>The portfolio value is fixed at <see cref="EvaluationOptions.InitialValueQuote"/> and gas per swap is the
/// backtest market's at each sample's decision bar (gas price × the ETH close).</para>
/// </remarks>
public sealed class PoolCostLoss
{
    private readonly float[] _gasFraction;

    /// <summary>Creates the cost for a dataset judged by <paramref name="evaluator"/> (same fee, depth, portfolio value, planner minimum and gas).</summary>
    public PoolCostLoss(TrainingDataset data, SampleBacktester evaluator)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(evaluator);
        var options = evaluator.Options;
        FeeFraction = options.Costs.PoolFeeBps / 10_000.0;
        PortfolioValueQuote = (double)options.InitialValueQuote;
        PoolDepthQuote = (double)options.PoolDepthQuote;
        MinTradeQuote = (double)options.Planner.MinTradeQuote;
        if (!(MinTradeQuote > 0))
        {
            throw new ArgumentException("the planner's MinTradeQuote must be positive for the gas ramp of the training cost.", nameof(evaluator));
        }

        _gasFraction = new float[data.SampleCount];
        for (var s = 0; s < data.SampleCount; s++)
        {
            _gasFraction[s] = (float)(evaluator.Market.GasPerSwapQuote(data.Bar(s)) / PortfolioValueQuote);
        }
    }

    /// <summary>The pool fee as a fraction of the input (0.003 for 30 bps).</summary>
    public double FeeFraction { get; }

    /// <summary>V, the portfolio value the fractions are of.</summary>
    public double PortfolioValueQuote { get; }

    /// <summary>D, every pool's quote reserve.</summary>
    public double PoolDepthQuote { get; }

    /// <summary>m, the smallest leg the planner places; the gas ramp reaches the full gas there.</summary>
    public double MinTradeQuote { get; }

    /// <summary>One swap's gas at <paramref name="sample"/>'s decision bar as a fraction of <see cref="PortfolioValueQuote"/>.</summary>
    public float GasFraction(int sample) => _gasFraction[sample];

    /// <summary>Gas fractions of <paramref name="count"/> consecutive samples from <paramref name="start"/> as a <c>[count]</c> tensor.</summary>
    public Tensor GasTensor(int start, int count) => tensor(_gasFraction.AsSpan(start, count).ToArray(), [count]);

    /// <summary>Each period's cost as a fraction of the portfolio, <c>[batch]</c>.</summary>
    /// <param name="weights">Chosen weights <c>[batch, assets]</c>.</param>
    /// <param name="held">Weights held before the decision <c>[batch, assets]</c>.</param>
    /// <param name="gas">One swap's gas as a fraction of the portfolio per period <c>[batch]</c> (<see cref="GasTensor"/>).</param>
    public Tensor Fraction(Tensor weights, Tensor held, Tensor gas)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(held);
        ArgumentNullException.ThrowIfNull(gas);
        var keep = 1 - FeeFraction;

        // Explicit scalars kept alive over the native calls (see AllocatorNetwork).
        using var one = 1.ToScalar();
        using var two = 2.ToScalar();
        using var feeRate = FeeFraction.ToScalar();
        using var impactScale = (keep * keep * PortfolioValueQuote).ToScalar();
        using var keptValue = (keep * PortfolioValueQuote).ToScalar();
        using var depth = PoolDepthQuote.ToScalar();
        using var perMinimum = (PortfolioValueQuote / MinTradeQuote).ToScalar();
        var u = weights.sub(held).abs();
        var fee = u.mul(feeRate);

        // (1 − f)²·V·u² / (D + (1 − f)·V·u): the impact of a leg of V·u quote, over V.
        var impact = u.pow(two).mul(impactScale).div(u.mul(keptValue).add(depth, one));
        var ramp = u.mul(perMinimum).clamp_max(one);
        return fee.add(impact, one).sum(1).add(ramp.sum(1).mul(gas), one);
    }

    /// <summary>
    /// The most <see cref="Fraction"/> can differ from the exact cost of one period's legs (before float rounding):
    /// <c>Σ over legs with 0 &lt; V·|Δw| &lt; m of gas·(1 − V·|Δw|/m)</c>, a fraction of the portfolio.
    /// </summary>
    /// <param name="weights">Chosen weights, one per asset.</param>
    /// <param name="held">Held weights, one per asset.</param>
    /// <param name="gasFraction">One swap's gas over the portfolio value.</param>
    public double GasRampBound(ReadOnlySpan<float> weights, ReadOnlySpan<float> held, double gasFraction)
    {
        if (weights.Length != held.Length)
        {
            throw new ArgumentException($"weights has {weights.Length} entries, held {held.Length}.", nameof(held));
        }

        double bound = 0;
        for (var a = 0; a < weights.Length; a++)
        {
            var q = PortfolioValueQuote * Math.Abs((double)weights[a] - held[a]);
            if (q > 0 && q < MinTradeQuote)
            {
                bound += gasFraction * (1 - (q / MinTradeQuote));
            }
        }

        return bound;
    }
}
