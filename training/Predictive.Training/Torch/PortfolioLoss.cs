using TorchSharp;
using static TorchSharp.torch;

namespace Predictive.Training.Torch;

/// <summary>Differentiable portfolio objectives over a batch of consecutive periods, net of transaction costs.</summary>
/// <remarks>
/// Period net return: <c>Σ w·r − costRate · Σ|w − held|</c>, where <c>held</c> is the previous period's weights drifted
/// by that period's returns (what the portfolio holds when it decides).
/// </remarks>
public static class PortfolioLoss
{
    /// <summary>Net returns per period, <c>[batch]</c>.</summary>
    public static Tensor NetReturns(Tensor weights, Tensor held, Tensor returns, double costRate)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(held);
        ArgumentNullException.ThrowIfNull(returns);
        var gross = weights.mul(returns).sum(1);
        using var rate = costRate.ToScalar(); // explicit and kept alive over the native call (see AllocatorNetwork)
        var cost = weights.sub(held).abs().sum(1).mul(rate);
        return gross.sub(cost);
    }

    /// <summary>The loss to minimize.</summary>
    /// <param name="kind">Which objective.</param>
    /// <param name="weights">Chosen weights <c>[batch, assets]</c>.</param>
    /// <param name="held">Drifted previous weights <c>[batch, assets]</c>.</param>
    /// <param name="returns">Next-period simple returns <c>[batch, assets]</c>.</param>
    /// <param name="costRate">Cost per unit of turnover (0.001 = 10 bps).</param>
    /// <param name="riskAversion">λ of the mean-variance utility.</param>
    public static Tensor Compute(PortfolioLossKind kind, Tensor weights, Tensor held, Tensor returns, double costRate, double riskAversion)
    {
        var net = NetReturns(weights, held, returns, costRate);
        var mean = net.mean();

        // Explicit scalars kept alive over the native calls (see AllocatorNetwork): square() is pow(2), and add's
        // one-argument overloads pass an alpha of 1, both as implicit scalars.
        using var two = 2.ToScalar();
        using var one = 1.ToScalar();
        using var varianceFloor = 1e-12.ToScalar();
        using var sdFloor = 1e-6.ToScalar();
        using var halfAversion = (riskAversion / 2).ToScalar();

        // Population variance, written out so its meaning does not hang on an overload's default.
        var variance = net.sub(mean).pow(two).mean();
        return kind switch
        {
            // The small terms keep the gradient finite when a batch is flat.
            PortfolioLossKind.NegativeSharpe => mean.div(variance.add(varianceFloor, one).sqrt().add(sdFloor, one)).neg(),
            PortfolioLossKind.MeanVariance => mean.sub(variance.mul(halfAversion)).neg(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown loss."),
        };
    }
}
