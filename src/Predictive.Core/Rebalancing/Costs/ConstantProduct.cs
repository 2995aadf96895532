namespace Predictive.Core.Rebalancing.Costs;

/// <summary>
/// The exact swap arithmetic of a constant-product pool (Uniswap V2, x·y = k) with the fee taken from the input:
/// amountOut = amountIn·(10⁴ − fee)·reserveOut / (reserveIn·10⁴ + amountIn·(10⁴ − fee)), fee in basis points.
/// With a 30 bps fee this is the V2 formula amountIn·997·reserveOut / (reserveIn·1000 + amountIn·997).
/// </summary>
/// <remarks>
/// Amounts are token units as <see cref="decimal"/>; the on-chain venue does the same in uint256 with integer
/// division (which rounds down by at most one base unit). No linear approximation is used anywhere.
/// </remarks>
public static class ConstantProduct
{
    private const decimal BpsScale = 10_000m;

    /// <summary>The output of selling <paramref name="amountIn"/> into a pool with the given reserves.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A reserve is not positive, the amount is negative, or the fee is outside [0, 10⁴).</exception>
    public static decimal AmountOut(decimal amountIn, decimal reserveIn, decimal reserveOut, int feeBps)
    {
        Check(reserveIn, reserveOut, feeBps);
        ArgumentOutOfRangeException.ThrowIfNegative(amountIn);
        return Planning.LegRules.AmountOut(amountIn, reserveIn, reserveOut, feeBps);
    }

    /// <summary>The input needed to receive exactly <paramref name="amountOut"/> (the inverse of <see cref="AmountOut"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The pool cannot pay <paramref name="amountOut"/> (it must be below reserveOut).</exception>
    public static decimal AmountIn(decimal amountOut, decimal reserveIn, decimal reserveOut, int feeBps)
    {
        Check(reserveIn, reserveOut, feeBps);
        ArgumentOutOfRangeException.ThrowIfNegative(amountOut);
        if (amountOut >= reserveOut)
        {
            throw new ArgumentOutOfRangeException(nameof(amountOut), amountOut, $"the pool holds only {reserveOut} of the output token.");
        }

        return reserveIn * amountOut * BpsScale / ((reserveOut - amountOut) * (BpsScale - feeBps));
    }

    /// <summary>
    /// The price impact of a swap as a fraction of the fee-adjusted ideal output at the pool's mid price:
    /// 1 − out / (inAfterFee·reserveOut/reserveIn) = inAfterFee / (reserveIn + inAfterFee).
    /// </summary>
    public static double PriceImpact(decimal amountIn, decimal reserveIn, int feeBps)
    {
        var inAfterFee = (double)amountIn * (1 - (feeBps / 10_000.0));
        return inAfterFee / ((double)reserveIn + inAfterFee);
    }

    /// <summary>
    /// The largest input whose <see cref="PriceImpact"/> stays at or below <paramref name="maxImpact"/> (a fraction in
    /// [0, 1)): inAfterFee ≤ maxImpact·reserveIn / (1 − maxImpact), divided by (1 − fee).
    /// </summary>
    public static decimal MaxAmountInForImpact(decimal reserveIn, int feeBps, double maxImpact)
    {
        if (!(maxImpact is >= 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(maxImpact), maxImpact, "the impact limit is a fraction in [0, 1).");
        }

        var afterFee = (double)reserveIn * maxImpact / (1 - maxImpact);
        return (decimal)(afterFee / (1 - (feeBps / 10_000.0)));
    }

    private static void Check(decimal reserveIn, decimal reserveOut, int feeBps)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(reserveIn);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(reserveOut);
        if (feeBps is < 0 or >= 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(feeBps), feeBps, "the pool fee must be in [0, 10000) basis points.");
        }
    }
}
