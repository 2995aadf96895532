using System.Numerics;
using System.Runtime.CompilerServices;

namespace Predictive.Core.Rebalancing.Planning;

/// <summary>Where <see cref="LegRules.FundBuys{T, TPlacement}"/> puts the buys it places (a struct, so the call is made directly, not through a delegate).</summary>
/// <typeparam name="T">The number type.</typeparam>
public interface IBuyPlacement<T>
{
    /// <summary>A buy the funding rounds place: which buy, at which bar offset, its slice index and its quote amount.</summary>
    void Place(int buy, int barOffset, int slice, T amountQuote);
}

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

    /// <summary>
    /// How an exact-input order is split into equal TWAP slices, one per bar, each at most <paramref name="maxIn"/>:
    /// the slice count, and the amount actually planned (cut to <paramref name="maxSlices"/> · maxIn when more slices
    /// would be needed). Each slice is amount / count. An order that fits in one slice is one slice, without dividing.
    /// </summary>
    public static (int Count, T AmountIn) Slices<T>(T amountIn, T maxIn, int maxSlices)
        where T : IFloatingPoint<T>
    {
        if (amountIn > T.Zero && amountIn <= maxIn && maxSlices >= 1)
        {
            return (1, amountIn);
        }

        var count = int.CreateSaturating(T.Ceiling(amountIn / maxIn));
        return count > maxSlices ? (maxSlices, maxIn * T.CreateChecked(maxSlices)) : (count, amountIn);
    }

    /// <summary>
    /// The funding rounds of the buys, bar offset by bar offset: each round adds that offset's sell proceeds to what
    /// is available, wants min(remaining, max per swap) of every buy still short by at least the floor (and below the
    /// slice limit), funds them together by <see cref="FundingScale{T}"/>, and places each scaled amount that reaches
    /// the floor, paying one swap's gas. Rounds stop when nothing is pending, or when a round at or after the last
    /// proceeds places nothing.
    /// </summary>
    /// <param name="remaining">Quote still wanted per buy; reduced as buys are placed.</param>
    /// <param name="maxQuoteIn">The largest swap per buy (the impact limit).</param>
    /// <param name="slices">Buys placed so far per buy; incremented per placement.</param>
    /// <param name="maxSlices">The most swaps one buy may be split into.</param>
    /// <param name="cash">Quote available before any proceeds.</param>
    /// <param name="proceeds">Net sell proceeds (output less gas) per bar offset, index = offset.</param>
    /// <param name="gasPerSwap">One swap's gas, quote units.</param>
    /// <param name="floor">The smallest swap (<see cref="Floor{T}"/>).</param>
    /// <param name="wants">Scratch, one per buy.</param>
    /// <param name="pendingBuys">Scratch, one per buy (passed in rather than allocated on the stack, so the method is compiled as any other, with profile-guided tiers).</param>
    /// <param name="place">Given every placed buy, in order.</param>
    public static void FundBuys<T, TPlacement>(Span<T> remaining, ReadOnlySpan<T> maxQuoteIn, Span<int> slices, int maxSlices, T cash, ReadOnlySpan<T> proceeds, T gasPerSwap, T floor, Span<T> wants, Span<int> pendingBuys, ref TPlacement place)
        where T : INumber<T>
        where TPlacement : struct, IBuyPlacement<T>
    {
        if (wants.Length < remaining.Length || pendingBuys.Length < remaining.Length)
        {
            throw new ArgumentException($"The scratch spans must hold one value per buy ({remaining.Length}); wants holds {wants.Length} and pendingBuys {pendingBuys.Length}.", wants.Length < remaining.Length ? nameof(wants) : nameof(pendingBuys));
        }

        var lastProceeds = Math.Max(0, proceeds.Length - 1);
        var available = cash;
        // Only a buy pending now can be pending later (what remains only falls, the slices only grow): the rounds go
        // over those, in the same order.
        var count = 0;
        for (var i = 0; i < remaining.Length; i++)
        {
            // Written always and kept when pending: no branch on which assets are buys (a pattern no predictor learns);
            // each test's flag is added as a byte, so the compiler makes no branch of it either.
            pendingBuys[count] = i;
            count += Unsafe.BitCast<bool, byte>(remaining[i] >= floor) & Unsafe.BitCast<bool, byte>(slices[i] < maxSlices);
        }

        var buys = pendingBuys[..count];
        for (var k = 0; k <= lastProceeds + maxSlices; k++)
        {
            if (k < proceeds.Length)
            {
                available += proceeds[k];
            }

            var pending = 0;
            var want = T.Zero;
            foreach (var i in buys)
            {
                // −1 marks a buy that is not pending this round.
                var left = remaining[i];
                var wanted = wants[i] = left >= floor && slices[i] < maxSlices ? T.Min(left, maxQuoteIn[i]) : -T.One;
                if (wanted >= T.Zero)
                {
                    want += wanted;
                    pending++;
                }
            }

            if (pending == 0)
            {
                break;
            }

            var scale = FundingScale(available, gasPerSwap, pending, want);
            var placed = false;
            foreach (var i in buys)
            {
                var wanted = wants[i];
                var amount = wanted * scale;
                if (wanted < T.Zero || amount < floor)
                {
                    continue;
                }

                place.Place(i, k, slices[i], amount);
                slices[i]++;
                remaining[i] -= amount;
                available -= amount + gasPerSwap;
                placed = true;
            }

            if (!placed && k >= lastProceeds)
            {
                break;
            }
        }
    }
}
