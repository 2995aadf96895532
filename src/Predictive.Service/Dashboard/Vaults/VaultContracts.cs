using Predictive.Keeper.Store;

namespace Predictive.Service.Dashboard.Vaults;

/// <summary>The answer of <c>GET /v1/vaults</c>: every vault in the configured keeper stores' decision logs.</summary>
/// <param name="Configured">Whether any keeper store is configured (<c>KeeperStore</c>, or an operator database).</param>
/// <param name="EvaluatedAt">When the stores were read (the time ages and lease expiries are judged against).</param>
/// <param name="Sources">Each keeper store read: its passes and leases, or why it cannot be read.</param>
/// <param name="Vaults">The vaults, by source then name.</param>
public sealed record VaultsResponse(bool Configured, DateTimeOffset EvaluatedAt, IReadOnlyList<KeeperSource> Sources, IReadOnlyList<VaultState> Vaults);

/// <summary>One keeper store.</summary>
/// <param name="Name">The SQLite file's full path, or the operator database's name.</param>
/// <param name="Passes">How many passes were read from it (the latest, up to <c>VaultPasses</c>).</param>
/// <param name="Error">Why it cannot be read, or null.</param>
/// <param name="Leases">Its vault leases.</param>
public sealed record KeeperSource(string Name, int Passes, string? Error, IReadOnlyList<LeaseState> Leases);

/// <summary>A vault lease.</summary>
/// <param name="Vault">The lease key (chain id and vault address).</param>
/// <param name="Owner">The keeper holding it.</param>
/// <param name="ExpiresAt">When it lapses unless renewed.</param>
/// <param name="OverdueSeconds">Seconds since it expired while still held (neither renewed nor released); 0 while valid.</param>
public sealed record LeaseState(string Vault, string Owner, DateTimeOffset ExpiresAt, double OverdueSeconds);

/// <summary>One vault as its decision log shows it.</summary>
/// <param name="Vault">Its configured name (of the latest pass).</param>
/// <param name="VaultAddress">Its address, lower case.</param>
/// <param name="Source">The keeper store its passes come from.</param>
/// <param name="Passes">How many of its passes were read.</param>
/// <param name="Last">Its latest pass.</param>
/// <param name="Paused">Whether the latest pass that checked found the vault paused; null when no pass checked.</param>
/// <param name="Oracle">Oracle freshness, from the latest pass that read the feeds.</param>
/// <param name="Refusals">The passes in a row, up to the latest, refused for the latest pass's reason.</param>
/// <param name="Weights">Target against actual weights at each pass that had both, oldest first, with the drift.</param>
/// <param name="Decisions">The latest passes, newest first, each with every guard's result.</param>
/// <param name="Trades">The swaps of the passes read, newest first, with gas and cost.</param>
public sealed record VaultState(
    string Vault, string VaultAddress, string Source, int Passes, DecisionRecord Last, bool? Paused, OracleState Oracle, RefusalStreak Refusals,
    IReadOnlyList<WeightSample> Weights, IReadOnlyList<DecisionRecord> Decisions, IReadOnlyList<TradeRow> Trades);

/// <summary>Oracle freshness as the keeper's oracle gate saw it.</summary>
/// <param name="Status"><c>fresh</c> (every feed within its heartbeat), <c>stale</c> (a feed older than its heartbeat), <c>refused</c> (another oracle check failed) or <c>unchecked</c> (no pass read the feeds).</param>
/// <param name="CheckedAt">The chain time of the latest pass that read the feeds.</param>
/// <param name="LastFresh">The chain time of the latest pass that found every feed fresh, or null.</param>
/// <param name="Refusals">The oracle checks that failed at the latest check, with their details.</param>
public sealed record OracleState(string Status, DateTimeOffset? CheckedAt, DateTimeOffset? LastFresh, IReadOnlyList<string> Refusals);

/// <summary>Passes in a row refused for one reason.</summary>
/// <param name="Reason">The latest pass's refusal reason, or null when it was not refused.</param>
/// <param name="Count">How many passes in a row, up to the latest, were refused for that reason.</param>
/// <param name="Since">When the first of them ran.</param>
public sealed record RefusalStreak(string? Reason, int Count, DateTimeOffset? Since);

/// <summary>Target against actual weights at one pass.</summary>
/// <param name="Time">When the pass ran.</param>
/// <param name="Block">The chain head it decided at.</param>
/// <param name="Targets">The target weights, by symbol (cash under the quote token).</param>
/// <param name="Actual">The vault's weights before the pass, at oracle prices.</param>
/// <param name="DriftMax">max over symbols of |actual − target|.</param>
/// <param name="DriftL1">Σ over symbols of |actual − target|.</param>
public sealed record WeightSample(DateTimeOffset Time, long? Block, IReadOnlyDictionary<string, double> Targets, IReadOnlyDictionary<string, double> Actual, double DriftMax, double DriftL1);

/// <summary>One swap of a pass.</summary>
/// <param name="Time">When the pass ran.</param>
/// <param name="Block">The chain head of the pass.</param>
/// <param name="Swap">The swap as the decision log records it.</param>
/// <param name="GasCostEth">Gas used × the effective gas price, in ETH; null when no price was recorded.</param>
/// <param name="DryRun">Whether the pass only simulated it.</param>
public sealed record TradeRow(DateTimeOffset Time, long? Block, SwapRecord Swap, decimal? GasCostEth, bool DryRun);
