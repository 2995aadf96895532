using System.Numerics;
using Predictive.Chain.Contracts;
using Predictive.Chain.Crypto;
using Predictive.Chain.Rpc;
using Predictive.Chain.Transactions;
using Predictive.Chain.Venue;
using Predictive.Core.MarketData;
using Predictive.Core.Venues;
using Predictive.Core.Rebalancing.Guards;
using Predictive.Core.Rebalancing.Pipeline;
using Predictive.Keeper.Configuration;
using Predictive.Keeper.Store;
using Predictive.Keeper.Targets;
using Predictive.Keeper.Telemetry;

namespace Predictive.Keeper.Pass;

/// <summary>
/// One guarded keeper pass for one vault: the chain head (decision slot, base fee), the oracle gate (reference prices),
/// the vault's holdings, targets from the service for the market data's bars, the gas gate, then the one composition
/// (<see cref="OnChainRebalancer"/>: due slices, decision, new trades, journal). Every pass ends in one
/// <see cref="DecisionRecord"/>, whatever stopped it. A stop request is honoured between intents only: the transaction
/// manager's checkpoint refuses to sign a new intent once stop is asked, and an intent already signed is broadcast,
/// journaled and waited for.
/// </summary>
public sealed class KeeperPass : IDisposable
{
    private readonly KeeperSettings _settings;
    private readonly VaultSettings _vault;
    private readonly PrivateKey _key;
    private readonly ITargetsSource _targets;
    private readonly EvmRpcClient _client;
    private readonly IReferencePriceSource? _riskHistory;
    private readonly KeeperMetrics? _metrics;
    private readonly TimeProvider _time;
    private readonly ChainMarket _market;
    private readonly RebalancePipelineOptions _pipeline;
    private readonly VaultStateStores _stores;
    private CancellationToken _stop;
    private OnChainRebalanceReport? _report;
    private Chain.Oracle.OracleDecision? _oracleDecision;
    private long _firstSignedTicks;

    /// <summary>Creates the pass for <paramref name="vault"/>.</summary>
    /// <param name="settings">The keeper's settings.</param>
    /// <param name="vault">The vault.</param>
    /// <param name="key">The keeper's key.</param>
    /// <param name="targets">Where the targets come from (the keeper: <see cref="ServiceTargetsSource"/>).</param>
    /// <param name="metrics">Where passes are counted (null: nowhere).</param>
    /// <param name="timeProvider">The keeper's clock.</param>
    /// <param name="stateDirectory">The folder of the vault's journal and live state when they are files (default: <see cref="KeeperSettings.StateDirectory"/>).</param>
    /// <param name="riskHistory">
    /// Reference-price history that warms up the risk model before the live state holds a window (the market data); when
    /// chain.json names no feeds (a local chain from before the oracle), also the reference prices themselves.
    /// </param>
    /// <param name="stores">
    /// Where the journal and live state are kept: null for files in <paramref name="stateDirectory"/> (one node); a
    /// cluster's operator passes its database's stores, fenced by the vault's lease.
    /// </param>
    public KeeperPass(
        KeeperSettings settings, VaultSettings vault, PrivateKey key, ITargetsSource targets, KeeperMetrics? metrics = null, TimeProvider? timeProvider = null,
        string? stateDirectory = null, IReferencePriceSource? riskHistory = null, VaultStateStores? stores = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(vault);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(targets);
        _settings = settings;
        _vault = vault;
        _key = key;
        _targets = targets;
        _client = new EvmRpcClient(new RpcClientOptions { Endpoint = vault.RpcUrl, AttemptTimeout = TimeSpan.FromSeconds(30), TotalTimeout = TimeSpan.FromMinutes(2) });
        // The gas gate's net-benefit arm runs among the composition's guards, for every policy.
        _pipeline = vault.Pipeline.Guards.OfType<GasNetBenefitGuard>().Any() ? vault.Pipeline : vault.Pipeline with { Guards = [.. vault.Pipeline.Guards, new GasNetBenefitGuard()] };
        _riskHistory = riskHistory;
        _metrics = metrics;
        _time = timeProvider ?? TimeProvider.System;
        _market = vault.Manifest.ToMarket();
        StateDirectory = stateDirectory ?? settings.StateDirectory(vault);
        _stores = stores ?? VaultStateStores.Files(StateDirectory);
    }

    /// <summary>The vault.</summary>
    public VaultSettings Vault => _vault;

    /// <summary>The folder of the vault's journal, live state and run in progress when they are files (unused when <see cref="Stores"/> are not).</summary>
    public string StateDirectory { get; }

    /// <summary>Where the vault's journal, live state and run in progress are kept.</summary>
    public VaultStateStores Stores => _stores;

    /// <summary>The node's client.</summary>
    public EvmRpcClient Client => _client;

    /// <summary>Checks the node reports the configured chain id.</summary>
    /// <exception cref="KeeperConfigException">It does not.</exception>
    public async Task CheckChainAsync(CancellationToken cancellationToken)
    {
        var id = await _client.GetChainIdAsync(cancellationToken).ConfigureAwait(false);
        if (id != _vault.ChainId)
        {
            throw new KeeperConfigException("chain", [$"vault {_vault.Name}: the node at {_vault.RpcUrl} reports chain id {id}, not the configured chainId {_vault.ChainId}."]);
        }
    }

    /// <summary>
    /// Runs one pass. <paramref name="stop"/> is honoured between intents (never between signing and journaling);
    /// after it is asked, the pass stops before signing its next intent and throws <see cref="OperationCanceledException"/>
    /// (the record says so; the next pass resumes the slot's remaining legs from the journal).
    /// </summary>
    /// <param name="dryRun">Shadow mode: decide and simulate, send nothing, save no state.</param>
    /// <param name="stop">Asks the pass to stop at the next safe point.</param>
    public async Task<DecisionRecord> RunAsync(bool dryRun, CancellationToken stop) => (await RunDetailedAsync(dryRun, null, stop).ConfigureAwait(false)).Record;

    /// <summary>
    /// As <see cref="RunAsync"/>, with the composition's report and the oracle's verdict, and the failure (if any) instead of
    /// an error record only; <paramref name="slot"/> overrides the decision slot.
    /// </summary>
    public async Task<KeeperPassResult> RunDetailedAsync(bool dryRun, string? slot, CancellationToken stop)
    {
        _report = null;
        _oracleDecision = null;
        Exception? failure = null;
        var started = _time.GetTimestamp();
        var record = new DecisionRecord
        {
            Time = _time.GetUtcNow(), Vault = _vault.Name, VaultAddress = _vault.Vault.ToString(), DryRun = dryRun,
            Outcome = "error", Reason = "error", Explanation = string.Empty,
        };
        try
        {
            record = await DecideAsync(record, dryRun, slot, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            record = record with { Outcome = "stopped", Reason = "stopped", Explanation = "stop asked: no new intent signed; the slot's remaining legs resume on the next pass." };
        }
        catch (Exception e) when (e is RpcException or RebalanceInterruptedException or HttpRequestException or TimeoutException or MarketDataException or VenueException or InvalidOperationException or ArgumentException or IOException)
        {
            record = record with { Outcome = "error", Reason = e is RpcException or HttpRequestException ? "unreachable" : "error", Explanation = e.Message };
            failure = e;
        }

        record = record with { DurationMs = _time.GetElapsedTime(started).TotalMilliseconds, FirstSignedMs = _firstSignedTicks == 0 ? null : _time.GetElapsedTime(started, _firstSignedTicks).TotalMilliseconds };
        _metrics?.Pass(record);
        if (record.Outcome == "stopped")
        {
            throw new KeeperStoppedException(record);
        }

        return new KeeperPassResult(record, _report, _oracleDecision, failure);
    }

    private async Task<DecisionRecord> DecideAsync(DecisionRecord record, bool dryRun, string? slotOverride, CancellationToken stop)
    {
        _firstSignedTicks = 0;
        var block = await _client.GetBlockByNumberAsync(null, stop).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"the node at {_vault.RpcUrl} returned no latest block.");
        var head = (Time: DateTimeOffset.FromUnixTimeSeconds((long)block.Timestamp.Value), Number: (long)block.Number.Value);
        var slot = slotOverride ?? (_vault.PassOn.OnBlocks ? DecisionSlot.OfBlock(head.Number, _vault.PassOn.Blocks) : DecisionSlot.Of(head.Time, _vault.Interval));
        var baseFeeGwei = (double)(block.BaseFeePerGas?.Value ?? BigInteger.Zero) / 1e9;
        record = record with { Slot = slot, Block = head.Number, ChainTime = head.Time, BaseFeeGwei = baseFeeGwei };

        var guards = new List<GuardRecord>();
        // A paused vault (guardian or owner) reverts every swap with EnforcedPause: recorded as a guard, and the pass refused.
        var paused = await _client.QueryAsync<VaultPausedFunction, bool>(_vault.Vault, new VaultPausedFunction(), null, stop).ConfigureAwait(false);
        guards.Add(new GuardRecord("paused", paused, paused ? "the vault is paused; its swaps revert (EnforcedPause) until it is unpaused." : "the vault is not paused.", null, null));
        if (paused)
        {
            return record with { Outcome = "refused", Reason = "paused", Explanation = "the vault is paused (by its guardian or owner): no trade until it is unpaused.", Guards = guards };
        }

        IReferencePriceSource reference;
        IReadOnlyDictionary<string, decimal> prices;
        if (_vault.Manifest.ToOracle() is not { } feeds)
        {
            reference = _riskHistory ?? throw new InvalidOperationException($"vault {_vault.Name}: chain.json names no price feeds and there is no other reference-price source.");
            var row = await reference.GetAsync(head.Time, stop).ConfigureAwait(false);
            prices = row.Prices.ToDictionary(p => p.Key, p => (decimal)p.Value, StringComparer.Ordinal);
            guards.Add(new GuardRecord("oracle", false, $"chain.json names no feeds; reference prices from {reference.Name}.", null, null));
        }
        else
        {
            // The composition's reference: the chain's feeds (Chain/Oracle), their rounds as history, the market data only
            // before them. The gate is read once, at one block: the holdings are valued with that verdict's prices and the
            // composition's oracle guard judges the same verdict, so the record has one oracle verdict (the guard's).
            var oracle = await new Chain.Oracle.OracleReferencePrices(_client, feeds.Quote, feeds.Assets, _vault.Manifest.QuoteToken.Decimals, _vault.Oracle, _riskHistory)
                .ReadOnceAsync(stop).ConfigureAwait(false);
            _oracleDecision = oracle.Current;
            reference = oracle;
            var row = await oracle.GetAsync(head.Time, stop).ConfigureAwait(false);
            prices = row.Prices.ToDictionary(p => p.Key, p => (decimal)p.Value, StringComparer.Ordinal);
        }

        record = record with { OraclePrices = prices };
        var assets = _market.Assets.Select(a => a.Symbol).ToList();
        var quote = _market.Quote.Symbol;

        using var manager = dryRun ? null : Manager();
        var venue = new OnChainVenue(_client, _market, new OnChainVenueOptions { Costs = _vault.Pipeline.Costs, DryRun = dryRun }, _key.Address, manager, _time);
        var current = Weights(await venue.GetHoldingsAsync(stop).ConfigureAwait(false), prices, quote);
        record = record with { CurrentWeights = current };

        ServiceTargets targets;
        try
        {
            targets = await _targets.GetAsync(_vault, current, head.Time, stop).ConfigureAwait(false);
        }
        catch (TargetsRefusedException e)
        {
            return record with { Outcome = "refused", Reason = e.MissingVolume ? "no-volume" : "targets-refused", Explanation = e.Message, Guards = guards };
        }

        var weights = new Dictionary<string, double>(targets.Weights, StringComparer.Ordinal);
        if (!weights.ContainsKey(quote))
        {
            weights[quote] = Math.Max(0, 1 - targets.Weights.Values.Sum());
        }

        record = record with { Model = targets.Model, ModelSha256 = targets.Sha256, Targets = weights };

        var ceiling = (double)_settings.MaxBaseFeeGwei;
        var gasFired = baseFeeGwei > ceiling;
        guards.Add(new GuardRecord("gas-ceiling", gasFired, $"base fee {baseFeeGwei:G6} gwei {(gasFired ? "is above" : "is within")} the ceiling {ceiling:G6} gwei.", baseFeeGwei, ceiling));
        if (gasFired)
        {
            return record with { Outcome = "refused", Reason = "gas-ceiling", Explanation = $"the base fee {baseFeeGwei:G6} gwei is above maxBaseFeeGwei {ceiling:G6}; the next pass tries again.", Guards = guards };
        }

        _stores.Prepare();
        _stop = stop;
        var report = await new OnChainRebalancer(venue, _pipeline, reference, _stores.Documents, timeProvider: _time)
            .RunAsync(weights, slot, CancellationToken.None).ConfigureAwait(false);
        _report = report;
        var done = Complete(record, report, guards);
        // A refusal by one of the keeper's own checks names the check: the oracle's (its first failed check) or the gas gate's.
        var fired = report.Guards.Where(g => g.Fired).Select(g => g.Guard).ToHashSet(StringComparer.Ordinal);
        return done.Swaps.Count > 0 ? done
            : fired.Contains(ReferenceHygieneGuard.GuardName) && _oracleDecision is { Trade: false } refused ? done with { Outcome = "refused", Reason = $"oracle-{refused.Refusals[0].Check}" }
            : fired.Contains(GasNetBenefitGuard.GuardName) ? done with { Outcome = "refused", Reason = GasNetBenefitGuard.GuardName }
            : done;
    }

    private DecisionRecord Complete(DecisionRecord record, OnChainRebalanceReport report, List<GuardRecord> guards)
    {
        guards.AddRange(report.Guards.Concat(report.SliceGuards).Select(g => new GuardRecord(g.Guard, g.Fired, g.Detail, double.IsFinite(g.Value) ? g.Value : null, g.Limit)));
        var swaps = report.Swaps.Select(s => new SwapRecord(
            s.IntentId, s.Order.AssetIn, s.Order.AssetOut, TokenAmounts.ToUnits(s.AmountInRaw, _market.Token(s.Order.AssetIn).Decimals),
            TokenAmounts.ToUnits(s.AmountOutRaw, _market.Token(s.Order.AssetOut).Decimals), s.Status.ToString(), s.TransactionHash, s.GasUsed,
            s.EffectiveGasPriceWei?.ToString(System.Globalization.CultureInfo.InvariantCulture), s.FailureReason)).ToList();
        var d = report.Decision;
        var traded = swaps.Count > 0;
        return record with
        {
            Outcome = traded ? "trade" : "no-trade",
            Reason = d.Reason,
            Explanation = d.Explanation,
            Guards = guards,
            Swaps = swaps,
            PendingSlices = report.PendingSlices,
            WeightsAfter = report.WeightsAfter,
            GasUsed = report.GasUsedTotal,
            EstimatedCostQuote = d.EstimatedCostQuote,
            Notes = report.Notes,
        };
    }

    private TransactionManager Manager() =>
        new(_client, _key, ExecutionJournal.Open(_stores.Journal, _time),
            new TransactionManagerOptions
            {
                PollInterval = TimeSpan.FromMilliseconds(50), ReceiptTimeout = TimeSpan.FromMinutes(10), MaxFeePerGasCapGwei = _settings.MaxFeePerGasGwei,
                Confirmations = _settings.Confirmations,
            },
            _time, VaultAbi.Errors)
        {
            Checkpoint = (step, _) =>
            {
                if (step == ExecutionCheckpoint.IntentRecorded)
                {
                    // The one safe stop point: the intent is journaled, nothing is signed. Stopping anywhere later could leave a
                    // signed transaction the journal does not know was broadcast.
                    _stop.ThrowIfCancellationRequested();
                }
                else if (step == ExecutionCheckpoint.Signed && _firstSignedTicks == 0)
                {
                    _firstSignedTicks = _time.GetTimestamp();
                }

                return ValueTask.CompletedTask;
            },
        };

    private static Dictionary<string, double> Weights(Core.Rebalancing.Planning.Holdings holdings, IReadOnlyDictionary<string, decimal> prices, string quote)
    {
        var values = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (symbol, price) in prices.Append(new(quote, 1m)))
        {
            values[symbol] = holdings.Quantity(symbol) * price;
        }

        var total = values.Values.Sum();
        return values.ToDictionary(p => p.Key, p => total > 0 ? (double)(p.Value / total) : 0, StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();
}

/// <summary>A pass's record with what the CLI's one-pass command prints: the composition's report and the oracle's verdict.</summary>
/// <param name="Record">The decision record.</param>
/// <param name="Report">The composition's report (null when the pass stopped before it).</param>
/// <param name="Oracle">The oracle gate's verdict (null when the pass stopped before it).</param>
/// <param name="Failure">What ended the pass in error, if anything.</param>
public sealed record KeeperPassResult(DecisionRecord Record, OnChainRebalanceReport? Report, Chain.Oracle.OracleDecision? Oracle, Exception? Failure);

/// <summary>A pass stopped at a safe point because stop was asked; <see cref="Record"/> is its decision record.</summary>
public sealed class KeeperStoppedException(DecisionRecord record) : OperationCanceledException($"vault {record?.Vault}: stopped before signing a new intent.")
{
    /// <summary>The stopped pass's record.</summary>
    public DecisionRecord Record { get; } = record ?? throw new ArgumentNullException(nameof(record));
}
