using System.Numerics;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Predictive.Chain.Contracts;
using Predictive.Chain.Crypto;
using Predictive.Chain.Deployment;
using Predictive.Chain.Rpc;
using Predictive.Chain.Transactions;
using Predictive.Core.Rebalancing.Planning;
using Predictive.Core.Venues;
using SwapQuote = Predictive.Core.Venues.SwapQuote;

namespace Predictive.Chain.Venue;

/// <summary>
/// The production <see cref="IVenue"/>: Uniswap V2 pools traded through a <c>PredictiveVault</c> by its keeper.
/// Reads pool reserves and vault balances with eth_call; executes each swap as one journaled keeper transaction
/// (<see cref="TransactionManager"/>) with a minimum output from the fresh pool quote and the slippage tolerance and a
/// chain-time deadline; waits for the receipt and reports the Swapped event's amounts and the gas actually used.
/// In <see cref="OnChainVenueOptions.DryRun"/> mode only eth_call and eth_estimateGas are used. Each rule has one home:
/// reads (<see cref="VenueReads"/>), gas pricing (<see cref="VenueGasPricing"/>), costs through Core's model
/// (<see cref="VenueCosts"/>), simulation (<see cref="VenueSimulator"/>) and reporting (<see cref="VenueReporter"/>);
/// this class quotes, names intents (<see cref="SwapIntentIds"/>) and executes.
/// </summary>
/// <remarks>Amounts cross the boundary with <see cref="TokenAmounts"/>: inputs round down, minimum outputs round up.</remarks>
public sealed class OnChainVenue : IVenue
{
    private readonly EvmRpcClient _client;
    private readonly ChainMarket _market;
    private readonly OnChainVenueOptions _options;
    private readonly TransactionManager? _sender;
    private readonly TimeProvider _time;
    private readonly VenueReads _reads;
    private readonly VenueGasPricing _gas;
    private readonly VenueCosts _costs;
    private readonly VenueSimulator _simulator;
    private readonly VenueReporter _reporter;
    private string? _slot;
    private int _nextLeg;

    /// <summary>Creates the venue.</summary>
    /// <param name="client">The node.</param>
    /// <param name="market">Vault, router, quote token and asset pools.</param>
    /// <param name="options">Slippage, deadline, gas valuation, dry run.</param>
    /// <param name="keeper">The vault's keeper account (the sender of swaps, and the caller in dry runs).</param>
    /// <param name="sender">The keeper's transaction manager; may be null only in a dry run.</param>
    /// <param name="timeProvider">The clock for snapshot times.</param>
    /// <exception cref="ArgumentException">The market or options are invalid, or there is no sender outside a dry run.</exception>
    public OnChainVenue(
        EvmRpcClient client, ChainMarket market, OnChainVenueOptions options, EthAddress keeper, TransactionManager? sender,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(market);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(keeper);
        market.Validate();
        options.Validate();
        if (sender is null && !options.DryRun)
        {
            throw new ArgumentException("The on-chain venue needs the keeper's transaction manager unless it runs dry.", nameof(sender));
        }

        if (sender is not null && sender.Account != keeper)
        {
            throw new ArgumentException($"The transaction manager sends from {sender.Account}, not the keeper {keeper}.", nameof(sender));
        }

        _client = client;
        _market = market;
        _options = options;
        _sender = sender;
        _time = timeProvider ?? TimeProvider.System;
        _costs = new VenueCosts(options.Costs);
        _reads = new VenueReads(client, market, options.Costs.PoolFeeBps);
        _gas = new VenueGasPricing(client, market, _reads, options.Costs);
        _simulator = new VenueSimulator(client, market, keeper);
        _reporter = new VenueReporter(market, _costs, options.DryRun, _time);
    }

    /// <inheritdoc />
    public string QuoteAsset => _market.Quote.Symbol;

    /// <summary>The vault, router and tokens.</summary>
    public ChainMarket Market => _market;

    /// <summary>Whether swaps are only simulated.</summary>
    public bool DryRun => _options.DryRun;

    /// <summary>Every swap executed through this instance, in order.</summary>
    public IReadOnlyList<OnChainSwapReport> Reports => _reporter.Reports;

    /// <inheritdoc />
    public async Task<VenueSnapshot> GetSnapshotAsync(CancellationToken cancellationToken = default)
    {
        var pools = new List<PoolState>(_market.Assets.Count);
        var prices = new Dictionary<string, double>(StringComparer.Ordinal) { [QuoteAsset] = 1.0 };
        foreach (var asset in _market.Assets)
        {
            var pool = await _reads.PoolStateAsync(asset, cancellationToken).ConfigureAwait(false);
            pools.Add(pool);
            prices[asset.Symbol] = pool.MidPrice(asset.Symbol);
        }

        var gas = await _gas.QuoteAsync(cancellationToken).ConfigureAwait(false);
        return new VenueSnapshot(_time.GetUtcNow(), QuoteAsset, pools, prices, gas);
    }

    /// <summary>The vault's balances as token units (every asset and the quote token).</summary>
    public async Task<Holdings> GetHoldingsAsync(CancellationToken cancellationToken = default)
    {
        var quantities = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var token in _market.Assets.Select(a => a.Token).Append(_market.Quote))
        {
            quantities[token.Symbol] = TokenAmounts.ToUnits(await _reads.BalanceAsync(token, cancellationToken).ConfigureAwait(false), token.Decimals);
        }

        return new Holdings(quantities);
    }

    /// <inheritdoc />
    public async Task<SwapQuote> QuoteAsync(SwapOrder order, CancellationToken cancellationToken = default)
    {
        var (asset, tokenIn, tokenOut, amountInRaw) = Resolve(order);
        var pool = await _reads.PoolStateAsync(asset, cancellationToken).ConfigureAwait(false);
        var expectedRaw = await _reads.AmountOutAsync(tokenIn, tokenOut, amountInRaw, cancellationToken).ConfigureAwait(false);
        var snapshotGas = await _gas.QuoteAsync(cancellationToken).ConfigureAwait(false);
        var amountOut = TokenAmounts.ToUnits(expectedRaw, tokenOut.Decimals);
        var cost = _costs.Cost(pool, QuoteAsset, order.AssetIn, order.AssetOut, order.AmountIn, amountOut, snapshotGas, _costs.Options.GasUnitsPerSwap);
        return new SwapQuote(order, pool.Id, _time.GetUtcNow(), cost with { MinAmountOut = TokenAmounts.ToUnits(_costs.MinimumOut(expectedRaw), tokenOut.Decimals) });
    }

    /// <summary>
    /// Starts decision slot <paramref name="slot"/> (the bar or interval the next orders belong to): the orders
    /// <see cref="ExecuteAsync(SwapOrder, CancellationToken)"/> receives next are its legs 0, 1, … in call order.
    /// </summary>
    /// <exception cref="ArgumentException">The slot is empty or holds ':' or whitespace.</exception>
    public void BeginSlot(string slot)
    {
        SwapIntentIds.CheckSlot(slot);
        _slot = slot;
        _nextLeg = 0;
    }

    /// <inheritdoc />
    /// <remarks>The order is the next leg of the slot given to <see cref="BeginSlot"/> (see <see cref="SwapIntentIds"/>).</remarks>
    /// <exception cref="InvalidOperationException">No slot was begun.</exception>
    public Task<SwapFill> ExecuteAsync(SwapOrder order, CancellationToken cancellationToken = default)
    {
        var slot = _slot ?? throw new InvalidOperationException("The on-chain venue has no decision slot: call BeginSlot with the bar or interval the orders belong to first.");
        return ExecuteAsync(order, slot, _nextLeg++, cancellationToken);
    }

    /// <summary>
    /// Executes <paramref name="order"/> as leg <paramref name="leg"/> of decision slot <paramref name="slot"/>, under the
    /// intent id <see cref="SwapIntentIds.For"/> gives. When the keeper's journal already holds that intent (this slot
    /// decided before, by this or another process), its journaled transaction is resumed — never a second one — after
    /// checking that the journaled call trades the order's pair and at most its amount.
    /// </summary>
    /// <exception cref="VenueException">
    /// The order is invalid or names an unknown token; or the journal holds a different order for this slot and leg, or a
    /// journaled call that does not match the order (nothing is sent).
    /// </exception>
    /// <exception cref="RpcException">The node stopped answering; the intent stays open in the journal.</exception>
    public async Task<SwapFill> ExecuteAsync(SwapOrder order, string slot, int leg, CancellationToken cancellationToken = default)
    {
        var (asset, tokenIn, tokenOut, amountInRaw) = Resolve(order);
        var orderedMinOut = TokenAmounts.ToRaw(order.MinAmountOut, tokenOut.Decimals, UnitRounding.Up);
        var intentId = SwapIntentIds.For(_market.Vault, slot, leg, tokenIn.Address, tokenOut.Address, amountInRaw, orderedMinOut);
        var pool = await _reads.PoolStateAsync(asset, cancellationToken).ConfigureAwait(false);
        var gas = await _gas.QuoteAsync(cancellationToken).ConfigureAwait(false);
        if (_options.DryRun)
        {
            var fresh = await _reads.AmountOutAsync(tokenIn, tokenOut, amountInRaw, cancellationToken).ConfigureAwait(false);
            var deadline = await _client.DeadlineAsync(_options.Deadline, cancellationToken).ConfigureAwait(false);
            var simulated = await _simulator.SimulateAsync(tokenIn, tokenOut, amountInRaw, BigInteger.Max(orderedMinOut, _costs.MinimumOut(fresh)), deadline, cancellationToken).ConfigureAwait(false);
            return _reporter.Record(order, intentId, pool, gas, simulated);
        }

        var journaled = JournaledLeg(_sender!.Journal, intentId, SwapIntentIds.LegPrefix(_market.Vault, slot, leg));
        TransactionIntent intent;
        BigInteger minOut;
        if (journaled is not null)
        {
            intent = journaled.Intent;
            minOut = CheckJournaledCall(intent, tokenIn, tokenOut, amountInRaw);
        }
        else
        {
            // Never more than the vault holds (rounding or an earlier partial fill can leave it a unit short).
            amountInRaw = BigInteger.Min(amountInRaw, await _reads.BalanceAsync(tokenIn, cancellationToken).ConfigureAwait(false));
            if (amountInRaw.IsZero)
            {
                return _reporter.Record(order, intentId, pool, gas, new SwapOutcome(FillStatus.Reverted, 0, 0, 0, Reason: $"the vault holds no {tokenIn.Symbol}; not sent"));
            }

            var fresh = await _reads.AmountOutAsync(tokenIn, tokenOut, amountInRaw, cancellationToken).ConfigureAwait(false);
            minOut = BigInteger.Max(orderedMinOut, _costs.MinimumOut(fresh));
            var deadline = await _client.DeadlineAsync(_options.Deadline, cancellationToken).ConfigureAwait(false);
            intent = VaultKeeper.SwapIntent(intentId, _market.Vault, _market.Router, tokenIn.Address, tokenOut.Address, amountInRaw, minOut, deadline);
        }

        var result = await _sender.ExecuteAsync(intent, cancellationToken).ConfigureAwait(false);
        var receipt = result.Receipt;
        if (!result.Succeeded)
        {
            var reason = result.Revert?.Message ?? result.Entry.FailureReason ?? "failed";
            return _reporter.Record(order, intentId, pool, gas, new SwapOutcome(FillStatus.Reverted, 0, 0, minOut, receipt, result.Entry.MinedHash, reason, journaled is not null));
        }

        var mined = receipt ?? throw new VenueException($"Swap {intentId} succeeded but the node returned no receipt for it.");
        var swapped = mined.DecodeAllEvents<SwappedEvent>().FirstOrDefault(e => string.Equals(e.Log?.Address, _market.Vault.ToString(), StringComparison.OrdinalIgnoreCase))?.Event
            ?? throw new VenueException($"Swap {intentId} ({mined.TransactionHash}) was mined without the vault's Swapped event.");
        return _reporter.Record(order, intentId, pool, gas, new SwapOutcome(FillStatus.Filled, swapped.AmountIn, swapped.AmountOut, minOut, mined, mined.TransactionHash, null, journaled is not null));
    }

    /// <summary>The journaled intent of this slot's leg: the same order's, or an error when the leg traded a different order.</summary>
    private static JournalEntry? JournaledLeg(ExecutionJournal journal, string intentId, string legPrefix)
    {
        var other = journal.Entries.FirstOrDefault(e => e.Intent.Id.StartsWith(legPrefix, StringComparison.Ordinal) && e.Intent.Id != intentId);
        return other is null
            ? journal.Find(intentId)
            : throw new VenueException($"The keeper's journal already holds intent '{other.Intent.Id}' ({other.Step}) for this decision slot and leg with a different order than '{intentId}'; the slot was decided before, so nothing is sent.");
    }

    /// <summary>The journaled call must be a vault swap through our router of the order's pair, for at most its amount; returns its minimum output.</summary>
    private BigInteger CheckJournaledCall(TransactionIntent intent, ChainToken tokenIn, ChainToken tokenOut, BigInteger amountInRaw)
    {
        VaultSwapFunction? call = null;
        var data = intent.Data.ToHex(true);
        // Exactly the selector and six words: Nethereum's decoder would pad a short body with zeros.
        if (intent.To == _market.Vault && intent.Data.Length == 4 + (6 * 32) && new Nethereum.ABI.FunctionEncoding.FunctionCallDecoder().IsDataForFunction(ABITypedRegistry.GetFunctionABI<VaultSwapFunction>(), data))
        {
            try
            {
                call = new VaultSwapFunction().DecodeInput(data);
            }
            catch (Exception e) when (e is ArgumentException or FormatException or IndexOutOfRangeException or InvalidCastException)
            {
                call = null;
            }
        }

        return call is not null && Same(call.Router, _market.Router) && Same(call.TokenIn, tokenIn.Address) && Same(call.TokenOut, tokenOut.Address)
            && call.AmountIn <= amountInRaw
            ? call.MinAmountOut
            : throw new VenueException($"Journaled intent '{intent.Id}' is not a vault swap of at most {amountInRaw} {tokenIn.Symbol} base units for {tokenOut.Symbol} through {_market.Router}; nothing is sent.");
    }

    private (ChainAsset Asset, ChainToken In, ChainToken Out, BigInteger AmountInRaw) Resolve(SwapOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (!(order.AmountIn > 0) || order.MinAmountOut < 0)
        {
            throw new VenueException($"Order {order.AssetIn}→{order.AssetOut}: the input must be positive and the minimum output non-negative (got {order.AmountIn}, {order.MinAmountOut}).");
        }

        var asset = _market.PoolFor(order.AssetIn, order.AssetOut);
        var tokenIn = _market.Token(order.AssetIn);
        var raw = TokenAmounts.ToRaw(order.AmountIn, tokenIn.Decimals, UnitRounding.Down);
        return raw.IsZero
            ? throw new VenueException($"Order {order.AssetIn}→{order.AssetOut}: {order.AmountIn} is below one base unit of {tokenIn.Symbol} ({tokenIn.Decimals} decimals).")
            : (asset, tokenIn, _market.Token(order.AssetOut), raw);
    }

    private static bool Same(string address, EthAddress expected) => EthAddress.TryParse(address.ToLowerInvariant(), out var parsed) && parsed == expected;
}
