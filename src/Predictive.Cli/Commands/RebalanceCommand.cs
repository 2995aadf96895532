using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Predictive.Chain.Crypto;
using Predictive.Chain.LocalChain;
using Predictive.Chain.Oracle;
using Predictive.Chain.Rpc;
using Predictive.Chain.Venue;
using Predictive.Core.MarketData;
using Predictive.Core.Rebalancing.Guards;
using Predictive.Core.Rebalancing.Pipeline;
using Predictive.Keeper.Configuration;
using Predictive.Keeper.Pass;
using Predictive.Keeper.Running;
using Predictive.Keeper.Store;
using Predictive.Keeper.Targets;
using Predictive.Core.Venues;
using Predictive.Onnx.Inference;
using Predictive.Onnx.Manifest;
using Predictive.Onnx.Registry;

namespace Predictive.Cli.Commands;

/// <summary>
/// <c>predictive rebalance --chain chain.json --targets weights.json</c>: one rebalance of the vault on chain with the
/// rebalancing core's policy and planner and the on-chain venue. An interrupted run is resumed from the keeper's journal.
/// </summary>
public static class RebalanceCommand
{
    /// <summary>How far target weights may sum from 1.</summary>
    public const double SumTolerance = 1e-6;

    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var chain = new Option<string>("--chain") { Description = "chain.json written by `predictive chain up`.", Required = true };
        var targets = new Option<string?>("--targets") { Description = "Target weights: {\"weights\":{\"BTC\":0.4,...}}; the quote token is the cash weight." };
        var model = new Option<string?>("--model") { Description = "An ONNX model package directory (model.json + model.onnx); its weights at the chain data's last bar are the targets (cash 0)." };
        var settings = new RebalanceSettings();
        var dryRun = new Option<bool>("--dry-run") { Description = "Simulate with eth_call and eth_estimateGas; send nothing." };
        var slot = new Option<string?>("--slot") { Description = "The decision slot (the bar or interval this decision belongs to); swaps of one slot are never traded twice. Default: the chain head's UTC hour." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object: decision, swaps, weightsBefore, weightsAfter." };
        var store = new Option<string?>("--store")
        {
            Description = "The keeper store whose vault lease this pass takes and whose decision log it appends to (a running keeper's: keeper.json's store); the journal is then the keeper's (vaults/<address>/ beside it). Default: the chain's state folder.",
        };
        var leaseWait = new Option<int>("--lease-wait")
        {
            Description = "Seconds to wait while another driver (a keeper, a scheduler job) holds the vault's lease before exiting with code 4.", DefaultValueFactory = _ => 0,
        };
        var cmd = new Command("rebalance", "Rebalance the vault on chain to target weights (one keeper pass, under the vault's lease).") { chain, targets, model, dryRun, slot, json, store, leaseWait };
        settings.AddTo(cmd);
        cmd.SetAction(async (parse, ct) =>
        {
            var manifestPath = Path.GetFullPath(parse.GetValue(chain)!);
            var manifest = LocalChainManifest.Load(manifestPath);
            if (Keeper.Governance.GovernanceValidation.FixedTargetsRefusal(manifest, manifestPath) is { } governed)
            {
                throw new CliException(governed);
            }

            var market = manifest.ToMarket();
            var symbols = market.Assets.Select(a => a.Symbol).Append(market.Quote.Symbol).ToList();
            var source = manifest.Data ?? DataSources.Synthetic;
            var panel = (await DataSources.LoadAsync(source, 42, ct).ConfigureAwait(false)).SelectAssets(market.Assets.Select(a => a.Symbol));
            var options = settings.Read(parse, panel.Interval.BarsPerYear);
            var weights = (parse.GetValue(targets), parse.GetValue(model)) switch
            {
                ({ } file, null) => new ServiceTargets($"file:{Path.GetFullPath(file)}", FileSha256(file), ReadTargets(file, symbols)),
                (null, { } dir) => ModelTargets(dir, panel, market, context.Time),
                (null, null) => throw new CliException("Give target weights with --targets <file>."),
                _ => throw new CliException("Give either --targets or --model, not both."),
            };
            var keeperAddress = EthAddress.Parse(manifest.Keeper);
            var keeperKey = AnvilDevAccounts.KeyOf(keeperAddress)
                ?? throw new CliException($"The keeper {keeperAddress} in {manifestPath} is not an anvil dev account; this command only signs for local chains.");
            var chainState = Path.Combine(Path.GetDirectoryName(manifestPath)!, ChainCommands.StateFolder);
            var storePath = Path.GetFullPath(parse.GetValue(store) ?? Path.Combine(chainState, "keeper.db"));
            if (parse.GetValue(leaseWait) is < 0 or > 86_400)
            {
                throw new CliException($"--lease-wait must be in [0, 86400] seconds (got {parse.GetValue(leaseWait)}).");
            }

            // One pass of the keeper (Predictive.Keeper) with the given targets: oracle gate, composition, journal. No gas ceiling here.
            var vault = new VaultSettings(
                "chain", manifest, new Uri(manifest.RpcUrl), manifest.ChainId, EthAddress.Parse(manifest.Vault), "chain", null, options, new OracleGateOptions(),
                TimeSpan.FromHours(1), source, 42, panel.BarCount);
            var keeperSettings = new KeeperSettings(null, new KeySourceConfig { Dev = true }, decimal.MaxValue, 1_000m, 1, storePath, TimeSpan.FromMinutes(2), LeaseHeldAction.Exit, [vault]);
            // With the default store the journal stays in the chain's state folder; with a keeper's store it is that keeper's.
            var state = parse.GetValue(store) is null ? chainState : keeperSettings.StateDirectory(vault);
            Directory.CreateDirectory(state);
            Directory.CreateDirectory(Path.GetDirectoryName(storePath)!);
            KeeperPassResult pass;
            var keeperStore = await SqliteKeeperStore.OpenAsync(storePath, ct).ConfigureAwait(false);
            var owner = string.Create(CultureInfo.InvariantCulture, $"rebalance:{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}");
            try
            {
                // One driver per vault: the same lease a keeper (or a scheduler job) takes, in the same store.
                await using var lease = await VaultLeaseScope.AcquireAsync(
                    keeperStore, KeeperRunner.LeaseKey(vault), vault.Name, owner, keeperSettings.Lease, TimeSpan.FromSeconds(parse.GetValue(leaseWait)), context.Time, ct,
                    (e, failures) => context.Error.WriteLine($"warning: renewing the lease of vault {vault.Name} failed ({failures} so far): {e.Message}")).ConfigureAwait(false);
                // A lost lease (it lapsed, or another driver took it) stops the pass before it signs its next intent.
                using var pulled = CancellationTokenSource.CreateLinkedTokenSource(ct, lease.Lost);
                // The risk model warms up from the market data the chain was seeded from; the guards' prices are the oracle's.
                var history = new PanelReferencePrices(panel, [.. market.Assets.Select(a => a.Symbol)], market.Quote.Symbol, $"market data ({source})");
                using var keeper = new KeeperPass(keeperSettings, vault, keeperKey, new FixedTargetsSource(weights), timeProvider: context.Time, stateDirectory: state, riskHistory: history);
                try
                {
                    pass = await keeper.RunDetailedAsync(parse.GetValue(dryRun), parse.GetValue(slot), pulled.Token).ConfigureAwait(false);
                }
                catch (KeeperStoppedException e) when (lease.IsLost && !ct.IsCancellationRequested)
                {
                    var who = lease.TakenBy?.Owner ?? "another driver (which has released it since)";
                    var explanation = $"the lease passed to {who} during the pass; this run stopped before signing its next intent. {e.Record.Explanation}";
                    await keeperStore.AppendDecisionAsync(e.Record with { Reason = KeeperRunner.LeaseLost, Explanation = explanation }, CancellationToken.None).ConfigureAwait(false);
                    throw new CliException($"vault {vault.Name}: lease lost: {explanation}");
                }

                await keeperStore.AppendDecisionAsync(pass.Record, CancellationToken.None).ConfigureAwait(false);
                if (pass.Failure is { } failure)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
                }
            }
            catch (LeaseHeldException e)
            {
                await context.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return KeeperCommands.LeaseHeld;
            }
            catch (RebalanceInterruptedException e)
            {
                throw new CliException(e.Message);
            }
            catch (Exception e) when (e is VenueException or ArgumentException or InvalidOperationException or InvalidDataException)
            {
                throw new CliException(e.Message);
            }
            catch (RpcTransportException e)
            {
                throw new CliException($"The node at {manifest.RpcUrl} is not answering ({e.Message}). Is the chain running? Start it with `predictive chain up`.");
            }

            var report = pass.Report ?? throw new CliException($"vault {manifest.Vault}: {pass.Record.Reason}: {pass.Record.Explanation}");
            var result = Result(report, market);
            if (parse.GetValue(json))
            {
                await CliJson.WriteAsync(context.Out, result).ConfigureAwait(false);
                return 0;
            }

            await context.Out.WriteLineAsync($"bar {report.Bar}, {report.Decision.Policy}: {(report.Decision.Trade ? "trade" : "no trade")} ({report.Decision.Reason}) — {report.Decision.Explanation}").ConfigureAwait(false);
            foreach (var line in RebalanceSettings.GuardLines(report.Guards))
            {
                await context.Out.WriteLineAsync(line).ConfigureAwait(false);
            }

            foreach (var line in RebalanceSettings.GuardLines(report.SliceGuards, "  due slices: "))
            {
                await context.Out.WriteLineAsync(line).ConfigureAwait(false);
            }

            foreach (var note in report.Notes)
            {
                await context.Out.WriteLineAsync("  note: " + note).ConfigureAwait(false);
            }
            foreach (var s in result.Swaps)
            {
                await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {s.AssetIn}→{s.AssetOut} {s.AmountIn:G8} → {s.AmountOut:G8} {s.Status} gas {s.GasUsed} {s.TxHash ?? s.Reason}")).ConfigureAwait(false);
            }

            foreach (var symbol in symbols)
            {
                await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {symbol,-6} {report.WeightsBefore[symbol],8:P2} → {report.WeightsAfter[symbol],8:P2} (target {weights.Weights.GetValueOrDefault(symbol),6:P2})")).ConfigureAwait(false);
            }

            return 0;
        });
        return cmd;
    }

    /// <summary>Reads and validates {"weights":{symbol: weight}}: known symbols, finite weights ≥ 0 summing to 1 within 1e-6.</summary>
    /// <exception cref="CliException">The file is missing, malformed or the weights are invalid.</exception>
    public static Dictionary<string, double> ReadTargets(string path, IReadOnlyList<string> symbols)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        if (!File.Exists(path))
        {
            throw new CliException($"--targets file '{path}' does not exist.");
        }

        TargetsFile? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<TargetsFile>(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new CliException($"--targets file '{path}' is not JSON of the form {{\"weights\":{{\"BTC\":0.5,...}}}}: {e.Message}");
        }

        if (parsed?.Weights is not { Count: > 0 } w)
        {
            throw new CliException($"--targets file '{path}' has no \"weights\" object.");
        }

        var unknown = w.Keys.Where(k => !symbols.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new CliException($"--targets: unknown symbol(s) {string.Join(", ", unknown)}; the vault holds {string.Join(", ", symbols)}.");
        }

        var bad = w.Where(p => !double.IsFinite(p.Value) || p.Value < 0).Select(p => $"{p.Key}={p.Value.ToString(CultureInfo.InvariantCulture)}").ToList();
        if (bad.Count > 0)
        {
            throw new CliException($"--targets: weights must be finite and ≥ 0; got {string.Join(", ", bad)}.");
        }

        var sum = w.Values.Sum();
        return Math.Abs(sum - 1) <= SumTolerance
            ? new Dictionary<string, double>(w, StringComparer.Ordinal)
            : throw new CliException(string.Create(CultureInfo.InvariantCulture, $"--targets: weights sum to {sum:R}; they must sum to 1 within {SumTolerance:G}."));
    }

    /// <summary>Targets from an ONNX allocator on the market data the chain was seeded from (its last bar); the quote token gets what the model leaves.</summary>
    private static ServiceTargets ModelTargets(string directory, PricePanel panel, ChainMarket market, TimeProvider time)
    {
        var full = Path.GetFullPath(directory);
        ModelManifest package;
        try
        {
            package = ModelPackage.Open(full).Manifest;
        }
        catch (Exception e) when (e is ModelIntegrityException or IOException or InvalidDataException or JsonException)
        {
            throw new CliException($"--model '{directory}' is not a model package: {e.Message}");
        }

        var (model, refusal) = ModelLoader.Load(full, package.Name, package.Version, time);
        if (model is null)
        {
            throw new CliException($"--model '{directory}' was refused ({refusal!.Stage}): {refusal.Reason}");
        }

        using (model)
        {
            var weights = new OnnxAllocator(model).Allocate(MarketSnapshot.At(panel, null, model.FeatureSpec).Input);
            var targets = panel.Assets.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => weights[p.i], StringComparer.Ordinal);
            targets[market.Quote.Symbol] = Math.Max(0, 1 - weights.Sum());
            return new ServiceTargets($"{package.Name}/{package.Version}", package.Sha256, targets);
        }
    }

    private static string FileSha256(string path) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));

    private static RebalanceResult Result(OnChainRebalanceReport r, ChainMarket m) => new(
        r.Bar,
        new DecisionJson(r.Decision.Policy, r.Decision.Trade, r.Decision.Reason, r.Decision.Explanation, r.Decision.DriftL1, r.Decision.DriftMaxAbs, r.Decision.DriftMaxAsset, r.Decision.EstimatedCostQuote),
        [.. r.Guards.Select(GuardJson.Of)],
        [.. r.SliceGuards.Select(GuardJson.Of)],
        r.PendingSlices,
        [.. r.Swaps.Select(s => new SwapJson(
            s.IntentId, s.Order.AssetIn, s.Order.AssetOut, s.Status.ToString(), s.TransactionHash, s.GasUsed, s.EffectiveGasPriceWei?.ToString(CultureInfo.InvariantCulture),
            s.AmountInRaw.ToString(CultureInfo.InvariantCulture), s.AmountOutRaw.ToString(CultureInfo.InvariantCulture), s.MinAmountOutRaw.ToString(CultureInfo.InvariantCulture),
            TokenAmounts.ToUnits(s.AmountInRaw, m.Token(s.Order.AssetIn).Decimals), TokenAmounts.ToUnits(s.AmountOutRaw, m.Token(s.Order.AssetOut).Decimals), s.FailureReason, s.Resumed))],
        r.WeightsBefore, r.WeightsAfter, r.GasUsedTotal, r.DryRun, r.Resumed, r.RunId, r.Notes);

    private sealed record TargetsFile([property: JsonPropertyName("weights")] Dictionary<string, double>? Weights);

    /// <summary>The JSON of <c>rebalance --json</c>.</summary>
    public sealed record RebalanceResult(
        [property: JsonPropertyName("bar")] int Bar,
        [property: JsonPropertyName("decision")] DecisionJson Decision,
        [property: JsonPropertyName("guards")] IReadOnlyList<GuardJson> Guards,
        [property: JsonPropertyName("sliceGuards")] IReadOnlyList<GuardJson> SliceGuards,
        [property: JsonPropertyName("pendingSlices")] int PendingSlices,
        [property: JsonPropertyName("swaps")] IReadOnlyList<SwapJson> Swaps,
        [property: JsonPropertyName("weightsBefore")] IReadOnlyDictionary<string, double> WeightsBefore,
        [property: JsonPropertyName("weightsAfter")] IReadOnlyDictionary<string, double> WeightsAfter,
        [property: JsonPropertyName("gasUsedTotal")] long GasUsedTotal,
        [property: JsonPropertyName("dryRun")] bool DryRun,
        [property: JsonPropertyName("resumed")] bool Resumed,
        [property: JsonPropertyName("runId")] string? RunId,
        [property: JsonPropertyName("notes")] IReadOnlyList<string> Notes);

    /// <summary>One guard's result: whether it fired, what it measured and the limit.</summary>
    public sealed record GuardJson(
        [property: JsonPropertyName("guard")] string Guard,
        [property: JsonPropertyName("fired")] bool Fired,
        [property: JsonPropertyName("detail")] string Detail,
        [property: JsonPropertyName("asset")] string? Asset,
        [property: JsonPropertyName("value")] double? Value,
        [property: JsonPropertyName("limit")] double Limit)
    {
        /// <summary>The JSON of <paramref name="g"/> (an unmeasured value is null).</summary>
        public static GuardJson Of(GuardResult g) => new(g.Guard, g.Fired, g.Detail, g.Asset, double.IsFinite(g.Value) ? g.Value : null, g.Limit);
    }

    /// <summary>Why the policy traded or not.</summary>
    public sealed record DecisionJson(
        [property: JsonPropertyName("policy")] string Policy,
        [property: JsonPropertyName("trade")] bool Trade,
        [property: JsonPropertyName("reason")] string Reason,
        [property: JsonPropertyName("explanation")] string Explanation,
        [property: JsonPropertyName("driftL1")] double DriftL1,
        [property: JsonPropertyName("driftMaxAbs")] double DriftMaxAbs,
        [property: JsonPropertyName("driftMaxAsset")] string? DriftMaxAsset,
        [property: JsonPropertyName("estimatedCostQuote")] decimal EstimatedCostQuote);

    /// <summary>One swap: raw amounts are base units as decimal strings (uint256).</summary>
    public sealed record SwapJson(
        [property: JsonPropertyName("intentId")] string IntentId,
        [property: JsonPropertyName("assetIn")] string AssetIn,
        [property: JsonPropertyName("assetOut")] string AssetOut,
        [property: JsonPropertyName("status")] string Status,
        [property: JsonPropertyName("txHash")] string? TxHash,
        [property: JsonPropertyName("gasUsed")] long GasUsed,
        [property: JsonPropertyName("effectiveGasPriceWei")] string? EffectiveGasPriceWei,
        [property: JsonPropertyName("amountInRaw")] string AmountInRaw,
        [property: JsonPropertyName("amountOutRaw")] string AmountOutRaw,
        [property: JsonPropertyName("minAmountOutRaw")] string MinAmountOutRaw,
        [property: JsonPropertyName("amountIn")] decimal AmountIn,
        [property: JsonPropertyName("amountOut")] decimal AmountOut,
        [property: JsonPropertyName("reason")] string? Reason,
        [property: JsonPropertyName("resumed")] bool Resumed);
}
