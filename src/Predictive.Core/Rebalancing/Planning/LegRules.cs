using System.Numerics;

namespace Predictive.Core.Rebalancing.Planning;

/// <summary>
/// The planner's decision rules, written once over the number type: <see cref="TradePlanner"/> runs them on
/// <c>decimal</c>, the backtester's double path on <c>double</c>. A rule changed here changes both.
/// </summary>
public static class LegRules
{
    /// <summary>The dust floor as a fraction of the portfolio: legs smaller than this are rounding noise, not trades.</summary>
    public const double DustFraction = 1e-9;

    /// <summary>The smallest leg worth trading: the minimum trade, or 10⁻⁹ of the portfolio, whichever is larger.</summary>
    public static T Floor<T>(T minTradeQuote, T portfolioValueQuote)
        where T : INumber<T> => T.Max(minTradeQuote, portfolioValueQuote * T.CreateChecked(DustFraction));

    /// <summary>
    /// One asset's leg against the quote asset: the units to sell, or the quote amount to buy (both 0 when the gap is
    /// below <paramref name="floor"/>). Selling out completely (a goal of 0) sells every unit, leaving no dust.
    /// </summary>
    /// <param name="held">Units held.</param>
    /// <param name="goal">The target value, quote units.</param>
    /// <param name="price">The reference price, quote per unit.</param>
    /// <param name="floor">The smallest leg (<see cref="Floor{T}"/>); nothing trades when it is not positive.</param>
    public static (T SellUnits, T BuyQuote) Leg<T>(T held, T goal, T price, T floor)
        where T : INumber<T>
    {
        var delta = goal - (held * price);
        if (!(floor > T.Zero))
        {
            return (T.Zero, T.Zero);
        }

        if (delta <= -floor && held > T.Zero)
        {
            return (goal <= T.Zero ? held : T.Min(held, -delta / price), T.Zero);
        }

        return delta >= floor ? (T.Zero, delta) : (T.Zero, T.Zero);
    }

    /// <summary>
    /// The fraction of the wanted buys that can be funded together: what is available less each buy's gas, over what
    /// is wanted, at most 1 (0 when nothing is spendable).
    /// </summary>
    public static T FundingScale<T>(T available, T gasPerSwap, int buys, T wanted)
        where T : INumber<T>
    {
        var spendable = available - (gasPerSwap * T.CreateChecked(buys));
        return spendable <= T.Zero || wanted <= T.Zero ? T.Zero : T.Min(T.One, spendable / wanted);
    }

    /// <summary>
    /// The constant-product output with the fee taken from the input:
    /// in·(10⁴ − fee)·reserveOut / (reserveIn·10⁴ + in·(10⁴ − fee)) (<see cref="Costs.ConstantProduct.AmountOut"/>).
    /// </summary>
    public static T AmountOut<T>(T amountIn, T reserveIn, T reserveOut, int feeBps)
        where T : INumber<T>
    {
        var scale = T.CreateChecked(10_000);
        var inAfterFee = amountIn * (scale - T.CreateChecked(feeBps));
        return inAfterFee * reserveOut / ((reserveIn * scale) + inAfterFee);
    }

    /// <summary>A swap's fee and price impact, quote units, from its notional and the value of its output (as <see cref="Costs.SwapCostModel.Estimate"/>).</summary>
    public static (T Fee, T Impact) FeeAndImpact<T>(T notionalQuote, T amountOut, T priceOut, int feeBps)
        where T : INumber<T>
    {
        var fee = notionalQuote * T.CreateChecked(feeBps) / T.CreateChecked(10_000);
        return (fee, notionalQuote - fee - (amountOut * priceOut));
    }
}
