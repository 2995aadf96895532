using System.Globalization;
using Predictive.Core.Rebalancing.Costs;
using Predictive.Core.Venues;

namespace Predictive.Core.Rebalancing.Planning;

/// <summary>
/// Turns target weights into the fewest swaps: a direct pool where one trades the pair, otherwise one swap into or out
/// of the quote asset per asset; legs below the minimum trade size are skipped; an order whose price impact would
/// exceed the limit is split into equal TWAP slices over later bars, and buys are funded as sell proceeds arrive.
/// </summary>
/// <remarks>
/// The plan is made on one snapshot. A later slice is estimated on that snapshot too, which matches a venue whose
/// pools re-anchor to an unchanged market price each bar; <see cref="PlanExecutor"/> re-quotes slices when they come due.
/// The planner is also the policies' <see cref="ITradeCostEstimator"/>, so a decision's cost is the cost of its plan.
/// </remarks>
public sealed class TradePlanner : ITradeCostEstimator
{
    private readonly SwapCostModel _costs;

    /// <summary>Creates the planner.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public TradePlanner(SwapCostModel costs, TradePlannerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(costs);
        _costs = costs;
        Options = options ?? new TradePlannerOptions();
        OptionsValidation.ThrowIfInvalid(Options);
    }

    /// <summary>The limits.</summary>
    public TradePlannerOptions Options { get; }

    /// <inheritdoc />
    public RebalanceCost EstimateCost(VenueSnapshot market, IReadOnlyList<string> assets, ReadOnlySpan<double> current, ReadOnlySpan<double> candidate, decimal portfolioValueQuote) =>
        Plan(market, Holdings.FromWeights(assets, current, portfolioValueQuote, market), assets, candidate).EstimatedCost;

    /// <summary>Plans the swaps that move <paramref name="holdings"/> to <paramref name="targetWeights"/> over <paramref name="assets"/>.</summary>
    /// <param name="market">The venue's pools, reference prices and gas.</param>
    /// <param name="holdings">What is held; a held asset not in <paramref name="assets"/> is sold. A held asset the venue cannot trade now (<see cref="VenueSnapshot.CanTrade"/>) is left as it is and noted.</param>
    /// <param name="assets">Symbols in weight order; the quote asset, when listed, is the cash weight.</param>
    /// <param name="targetWeights">Target weights, summing to 1.</param>
    /// <exception cref="ArgumentException">The shapes disagree.</exception>
    public TradePlan Plan(VenueSnapshot market, Holdings holdings, IReadOnlyList<string> assets, ReadOnlySpan<double> targetWeights)
    {
        ArgumentNullException.ThrowIfNull(market);
        ArgumentNullException.ThrowIfNull(holdings);
        ArgumentNullException.ThrowIfNull(assets);
        if (targetWeights.Length != assets.Count)
        {
            throw new ArgumentException($"targetWeights has {targetWeights.Length} values; there are {assets.Count} assets.", nameof(targetWeights));
        }

        var quote = market.QuoteAsset;
        var value = holdings.ValueQuote(market);
        var target = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = 0; i < assets.Count; i++)
        {
            target[assets[i]] = targetWeights[i];
        }

        // Legs below the minimum trade, or below a dust floor of 10⁻⁹ of the portfolio (rounding noise), are not traded.
        var floor = LegRules.Floor(Options.MinTradeQuote, value);
        var sells = new List<Leg>();
        var buys = new List<Leg>();
        var notes = new List<string>();
        foreach (var asset in assets.Concat(holdings.Quantities.Keys).Distinct(StringComparer.Ordinal).Where(a => a != quote))
        {
            var held = holdings.Quantity(asset);
            if (!market.CanTrade(asset))
            {
                // Assets that stop trading (docs/backtesting.md): what is held stays, valued at its last price; nothing is bought.
                if (held != 0 || target.GetValueOrDefault(asset) > 0)
                {
                    notes.Add(Untradable(market, asset, held));
                }

                continue;
            }

            var price = (decimal)market.ReferencePrice(asset);
            var (units, buy) = LegRules.Leg(held, (decimal)target.GetValueOrDefault(asset) * value, price, floor);
            if (units > 0)
            {
                sells.Add(new Leg(asset, units * price, price));
            }
            else if (buy > 0)
            {
                buys.Add(new Leg(asset, buy, price));
            }
        }

        var swaps = new List<PlannedSwap>();
        var proceeds = new Dictionary<int, decimal>();
        if (Options.UseDirectPools)
        {
            MatchDirect(market, sells, buys, swaps, proceeds, notes, floor);
        }

        foreach (var sell in sells.Where(s => s.RemainingQuote >= floor))
        {
            var planned = Slice(market, sell.Asset, quote, sell.RemainingQuote / sell.Price, notes, floor);
            foreach (var s in planned)
            {
                proceeds[s.BarOffset] = proceeds.GetValueOrDefault(s.BarOffset) + s.Estimate.AmountOut - s.Estimate.GasQuote;
            }

            swaps.AddRange(planned);
            sell.RemainingQuote = 0;
        }

        var cash = holdings.Quantity(quote) - ((decimal)target.GetValueOrDefault(quote) * value);
        FundBuys(market, buys, cash, proceeds, swaps, notes, floor);
        return new TradePlan(swaps.OrderBy(s => s.BarOffset).ThenBy(s => s.Order.AssetIn == quote ? 1 : 0).ToList(), notes);
    }

    /// <summary>Pairs sells with buys that share a direct pool: one swap instead of two.</summary>
    private void MatchDirect(VenueSnapshot market, List<Leg> sells, List<Leg> buys, List<PlannedSwap> swaps, Dictionary<int, decimal> proceeds, List<string> notes, decimal minTrade)
    {
        foreach (var sell in sells.OrderByDescending(s => s.RemainingQuote))
        {
            foreach (var buy in buys.OrderByDescending(b => b.RemainingQuote))
            {
                var matched = Math.Min(sell.RemainingQuote, buy.RemainingQuote);
                if (matched < minTrade || !market.TryGetPool(sell.Asset, buy.Asset, out _))
                {
                    continue;
                }

                var planned = Slice(market, sell.Asset, buy.Asset, matched / sell.Price, notes, minTrade);
                foreach (var s in planned)
                {
                    proceeds[s.BarOffset] = proceeds.GetValueOrDefault(s.BarOffset) - s.Estimate.GasQuote;
                }

                swaps.AddRange(planned);
                var done = Math.Min(matched, planned.Sum(s => s.Order.AmountIn) * sell.Price);
                sell.RemainingQuote -= done;
                buy.RemainingQuote -= done;
            }
        }
    }

    /// <summary>Splits one exact-input order into equal slices, one per bar, each within the impact limit.</summary>
    private List<PlannedSwap> Slice(VenueSnapshot market, string assetIn, string assetOut, decimal amountIn, List<string> notes, decimal minTrade)
    {
        var pool = Pool(market, assetIn, assetOut);
        var priceIn = market.ReferencePrice(assetIn);
        var reserveIn = pool.ReserveOf(assetIn);
        // A hair under the closed-form limit, so double rounding can never put a slice over it.
        var maxIn = ConstantProduct.MaxAmountInForImpact(reserveIn, pool.FeeBps, Options.MaxPriceImpactBps / 10_000) * 0.999999m;
        var (count, planned) = LegRules.Slices(amountIn, maxIn, Options.MaxSlices);
        if (planned != amountIn)
        {
            notes.Add(Say($"{assetIn}→{assetOut}: {amountIn:G6} needs more than {Options.MaxSlices} slices at ≤ {Options.MaxPriceImpactBps} bps impact; only {Options.MaxSlices} are allowed, so {planned:G6} is planned."));
        }

        var slice = planned / count;
        if (slice * (decimal)priceIn < minTrade)
        {
            notes.Add(Say($"{assetIn}→{assetOut}: slices of {slice * (decimal)priceIn:N2} would be below the minimum trade {minTrade:N2} (pool {pool.Id} too thin); skipped."));
            return [];
        }

        var result = new List<PlannedSwap>(count);
        for (var k = 0; k < count; k++)
        {
            result.Add(Planned(market, pool, assetIn, assetOut, slice, k, k, count));
        }

        return result;
    }

    /// <summary>Schedules buys from the quote asset as cash becomes available, bar by bar, each within the impact limit.</summary>
    private void FundBuys(VenueSnapshot market, List<Leg> buys, decimal cash, Dictionary<int, decimal> proceeds, List<PlannedSwap> swaps, List<string> notes, decimal minTrade)
    {
        var gas = market.Gas.CostQuote(_costs.Options.GasUnitsPerSwap);
        var income = new decimal[proceeds.Count == 0 ? 0 : proceeds.Keys.Max() + 1];
        foreach (var (offset, amount) in proceeds)
        {
            income[offset] = amount;
        }

        var remaining = buys.Select(b => b.RemainingQuote).ToArray();
        var maxIn = buys.Select(b => MaxQuoteIn(market, b.Asset)).ToArray();
        var slices = new int[buys.Count];
        var placement = new BuySwaps(this, market, buys, swaps);
        LegRules.FundBuys(remaining, maxIn, slices, Options.MaxSlices, cash, income, gas, minTrade, new decimal[buys.Count], new int[buys.Count], ref placement);
        for (var i = 0; i < buys.Count; i++)
        {
            buys[i].RemainingQuote = remaining[i];
        }

        foreach (var buy in buys.Where(b => b.RemainingQuote >= minTrade))
        {
            notes.Add(Say($"buy {buy.Asset}: {buy.RemainingQuote:N2} left unfunded or beyond the slice limit."));
        }

        // Buy slices are counted only once all are placed.
        for (var i = 0; i < swaps.Count; i++)
        {
            if (swaps[i].Order.AssetIn == market.QuoteAsset && swaps[i].SliceCount == 0)
            {
                swaps[i] = swaps[i] with { SliceCount = slices[buys.FindIndex(b => b.Asset == swaps[i].Order.AssetOut)] };
            }
        }
    }

    /// <summary>The funding rounds' buys as planned swaps from the quote asset.</summary>
    private readonly struct BuySwaps(TradePlanner planner, VenueSnapshot market, List<Leg> buys, List<PlannedSwap> swaps) : IBuyPlacement<decimal>
    {
        public void Place(int buy, int barOffset, int slice, decimal amountQuote)
        {
            var (quote, asset) = (market.QuoteAsset, buys[buy].Asset);
            swaps.Add(planner.Planned(market, Pool(market, quote, asset), quote, asset, amountQuote, barOffset, slice, 0));
        }
    }

    private decimal MaxQuoteIn(VenueSnapshot market, string asset)
    {
        var pool = Pool(market, market.QuoteAsset, asset);
        return ConstantProduct.MaxAmountInForImpact(pool.ReserveOf(market.QuoteAsset), pool.FeeBps, Options.MaxPriceImpactBps / 10_000) * 0.999999m;
    }

    private PlannedSwap Planned(VenueSnapshot market, PoolState pool, string assetIn, string assetOut, decimal amountIn, int barOffset, int slice, int sliceCount)
    {
        var estimate = _costs.Estimate(
            amountIn,
            pool.ReserveOf(assetIn),
            pool.ReserveOf(assetOut),
            market.ReferencePrice(assetIn),
            market.ReferencePrice(assetOut),
            market.Gas,
            pool.FeeBps);
        return new PlannedSwap(new SwapOrder(assetIn, assetOut, amountIn, estimate.MinAmountOut), pool.Id, barOffset, slice, sliceCount, estimate);
    }

    private static PoolState Pool(VenueSnapshot market, string a, string b) =>
        market.TryGetPool(a, b, out var pool) ? pool : throw new ArgumentException($"The venue has no {a}/{b} pool at {market.Time:O}.", nameof(market));

    private static string Say(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Untradable(VenueSnapshot market, string asset, decimal held)
    {
        var why = market.HasPrice(asset) ? $"no {asset}/{market.QuoteAsset} pool" : "no reference price";
        if (held == 0)
        {
            return Say($"{asset}: {why} at {market.Time:O}; cannot be bought, target treated as 0.");
        }

        return market.LastPrices.TryGetValue(asset, out var last)
            ? Say($"{asset}: {why} since {last.Since:O}; {held:G8} held stays, valued at its last price {last.Price:G8} (written off if it does not trade again in time).")
            : Say($"{asset}: {why} at {market.Time:O}; {held:G8} held stays, valued at its reference price {market.MarkPrice(asset):G8}.");
    }

    private sealed class Leg(string asset, decimal remainingQuote, decimal price)
    {
        public string Asset { get; } = asset;

        public decimal RemainingQuote { get; set; } = remainingQuote;

        public decimal Price { get; } = price;
    }
}
