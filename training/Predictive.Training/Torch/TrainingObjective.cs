using Predictive.Training.Data;
using Predictive.Training.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace Predictive.Training.Torch;

/// <summary>
/// What one training step minimizes, from the trainer's options: the weights the step really moves to (after the
/// in-loop band, if any), each period's return net of the chosen cost (linear or Core's cost model) and of the
/// calibrated turnover penalty, then the Sharpe or mean-variance objective.
/// </summary>
internal sealed class TrainingObjective
{
    private readonly TorchTrainerOptions _options;
    private readonly PoolCostLoss? _pool;

    public TrainingObjective(TrainingDataset data, SampleRange fit, TorchTrainerOptions options, SampleBacktester? market)
    {
        _options = options;
        if (options.Cost == TrainingCostKind.Pool)
        {
            _pool = new PoolCostLoss(data, market ?? throw new ArgumentNullException(nameof(market), "the pool cost needs the evaluation's market."));
            PenaltyRate = options.TurnoverPenalty * TradeRestraint.CalibratedPenaltyRate(_pool, data, fit);
        }
    }

    /// <summary>The penalty per unit of turnover subtracted from each period's net return (0 without one).</summary>
    public double PenaltyRate { get; }

    /// <summary>The weights the step moves to: the network's, or the band's when <see cref="TorchTrainerOptions.NoTradeBand"/> is set.</summary>
    public Tensor Executed(Tensor weights, Tensor held) =>
        _options.NoTradeBand is { } band ? TradeRestraint.ApplyBand(weights, held, band) : weights;

    /// <summary>The loss of a batch of <paramref name="periods"/> periods starting at sample <paramref name="start"/>.</summary>
    public Tensor Loss(Tensor weights, Tensor held, Tensor returns, int start, int periods)
    {
        Tensor net;
        if (_pool is null)
        {
            net = PortfolioLoss.NetReturns(weights, held, returns, _options.CostRate);
        }
        else
        {
            net = weights.mul(returns).sum(1).sub(_pool.Fraction(weights, held, _pool.GasTensor(start, periods)));
            if (PenaltyRate > 0)
            {
                using var rate = PenaltyRate.ToScalar(); // explicit and kept alive over the native call (see AllocatorNetwork)
                net = net.sub(weights.sub(held).abs().sum(1).mul(rate));
            }
        }

        return PortfolioLoss.FromNetReturns(_options.Loss, net, _options.RiskAversion);
    }
}
